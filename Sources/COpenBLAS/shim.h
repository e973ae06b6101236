// The one C door to OpenBLAS: cblas_sgemm, cblas_sgemv, cblas_sdot, ...
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
/// The kernel family OpenBLAS chose when it loaded ("SkylakeX", "Haswell", "Prescott", …).
char *openblas_get_corename(void);
/// Version and build options, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
char *openblas_get_config(void);
