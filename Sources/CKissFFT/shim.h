// The one C door to KISS FFT (BSD-3-Clause): real 2-D FFTs for FFT-accelerated t-SNE.
#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftndr.h>
#include <kissfft/kiss_fftr.h>
