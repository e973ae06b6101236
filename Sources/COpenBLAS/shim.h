// The one C door to OpenBLAS: cblas_sgemm, cblas_sgemv, cblas_sdot, ...
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
