#include "CEditLine.h"
int idc_editline_available(void) { return 1; }
