// twin/: placeholder translation unit so the library exists; the live twin issue fills this folder.
namespace edgetwin::twin {
const char* library_name() { return "edgetwin_twin"; }
}  // namespace edgetwin::twin
