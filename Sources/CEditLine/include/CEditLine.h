// CEditLine: the small C door to libedit's readline API (see STYLE.md).
#ifndef CEDITLINE_H
#define CEDITLINE_H
int idc_editline_available(void);
#endif
