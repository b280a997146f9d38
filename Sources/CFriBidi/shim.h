#include <fribidi.h>

static inline FriBidiParType cd_fribidi_par_ltr(void) { return FRIBIDI_PAR_LTR; }
static inline FriBidiParType cd_fribidi_par_rtl(void) { return FRIBIDI_PAR_RTL; }
static inline FriBidiParType cd_fribidi_par_on(void) { return FRIBIDI_PAR_ON; }
