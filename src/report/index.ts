import type { ScanResult } from '../engine/types.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Renders a scan result in one of the CLI's output formats. */
export function render(result: ScanResult, format: Format, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, opts);
    case 'markdown':
      return renderMarkdown(result);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
  }
}
