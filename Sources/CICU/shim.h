// ICU's headers clash with the copy Foundation bundles (_FoundationICU) when both are imported
// into Swift, and ICU's functions carry a version suffix (ubrk_open_72). So Swift never imports
// this module: the C target CICUShim wraps the few calls we need behind plain C types.
#include <unicode/utypes.h>
