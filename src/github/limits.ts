/**
 * GitHub's limits that shape what the app sends, in one place, each with where it comes from.
 * Going over any of these makes GitHub reject the whole request (422), so every renderer
 * truncates against these constants instead of hoping.
 */

/**
 * Check run `output.summary` and `output.text`: "Maximum length: 65535 characters."
 * (REST API docs, "Create a check run" / "Update a check run", output object.)
 */
export const MAX_CHECK_OUTPUT_CHARS = 65_535;

/**
 * Check run annotations: "The Checks API limits the number of annotations to a maximum of 50
 * per API request. To create more than 50 annotations, you have to make multiple requests to
 * the Update a check run endpoint." (REST API docs, "Update a check run", annotations.)
 */
export const ANNOTATIONS_PER_REQUEST = 50;

/**
 * Our own cap on annotations per check run: beyond a few pages nobody reads them inline, and
 * each page is one more write request. The summary says how many were left out.
 */
export const MAX_ANNOTATIONS = 150;

/** Annotation `title`: "The maximum size is 255 characters." */
export const MAX_ANNOTATION_TITLE_CHARS = 255;

/** Annotation `message` and `raw_details`: "The maximum size is 64 KB." Kept well below. */
export const MAX_ANNOTATION_MESSAGE_CHARS = 4_000;

/**
 * Issue and pull request comment bodies: GitHub rejects bodies over 65,536 characters
 * ("body is too long (maximum is 65536 characters)").
 */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * Check run `actions`: at most 3; `label` at most 20 characters, `description` at most 40,
 * `identifier` at most 20. (REST API docs, "Create a check run", actions.)
 */
export const MAX_ACTION_LABEL_CHARS = 20;

/** Check run `external_id`: free text; we keep it short and parseable (`pr:<number>`). */
export const EXTERNAL_ID_PR_PREFIX = 'pr:';

/**
 * Issue comments listing: `per_page` "The number of results per page (max 100)." One page is
 * one request, so the sticky comment lookup asks for the maximum.
 */
export const MAX_PER_PAGE = 100;

/**
 * Git trees: "If truncated is true in the response then the number of items in the tree array
 * exceeded our maximum limit" (100,000 entries or 7 MB, REST API docs, "Get a tree"). The
 * snapshot then walks subtrees one by one.
 */
export const TREE_RECURSIVE_LIMIT_ENTRIES = 100_000;
