/**
 * Names a Python module can use without binding them: the `builtins` module of CPython 3.8-3.13,
 * the module attributes every module has (`__file__`, `__name__`...), and names that only exist
 * on some platforms or in Python 2 code kept behind a version test (`WindowsError`, `unicode`).
 * The undefined-name analysis treats all of them as bound, so it never reports them.
 */
const NAMES = `
ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError
FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError
InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError _IncompleteInputError
__build_class__ __debug__ __doc__ __import__ __loader__ __name__ __package__ __spec__ abs aiter all
anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex
copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset
getattr globals hasattr hash help hex id input int isinstance issubclass iter len license list
locals map max memoryview min next object oct open ord pow print property quit range repr reversed
round set setattr slice sorted staticmethod str sum super tuple type vars zip
__file__ __builtins__ __path__ __cached__ __annotations__ __dict__ __class__ __module__ __qualname__
__all__
WindowsError unicode basestring long xrange raw_input unichr reduce file execfile cmp buffer
apply intern coerce reload StandardError
_ __IPYTHON__ get_ipython display
`;

export const PY_BUILTINS: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));
