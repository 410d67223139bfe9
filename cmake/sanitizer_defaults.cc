// Linked into every target of a -DNEEDLESCOPE_ASAN=ON build (CMakeLists.txt): the sanitizers'
// settings live in the binaries, so a test, the needlescope executable a test runs, and a
// developer's own run all behave the same without environment variables.

extern "C" {

// OpenCV 4.6 builds its 8-bit CIELAB lookup tables on first use (cv::hal::cvtBGRtoLab, by
// cv::fastMalloc) and never frees them: 4.7 MB, once per process, reported as a leak at
// exit. OpenCV is built without frame pointers, so the only frame LeakSanitizer's fast
// unwinder sees reliably is cv::fastMalloc; suppressing by it hides only memory allocated
// for cv::Mat data, which our code holds by reference-counted cv::Mat and cannot leak
// without leaking the object that holds it (reported on its own).
const char* __lsan_default_suppressions() { return "leak:cv::fastMalloc\n"; }

// A stack for every report of undefined behaviour, not just the line.
const char* __ubsan_default_options() { return "print_stacktrace=1"; }

}
