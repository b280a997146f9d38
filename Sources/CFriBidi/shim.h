#include <fribidi.h>

static inline FriBidiParType cd_fribidi_par_ltr(void) { return FRIBIDI_PAR_LTR; }
static inline FriBidiParType cd_fribidi_par_rtl(void) { return FRIBIDI_PAR_RTL; }
static inline FriBidiParType cd_fribidi_par_on(void) { return FRIBIDI_PAR_ON; }
/// Weak paragraph types: the first strong character outside isolates decides, else LTR / RTL.
static inline FriBidiParType cd_fribidi_par_wltr(void) { return FRIBIDI_PAR_WLTR; }
static inline FriBidiParType cd_fribidi_par_wrtl(void) { return FRIBIDI_PAR_WRTL; }
