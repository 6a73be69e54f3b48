// live-bridge/: placeholder translation unit so the library exists; the live twin issue fills this folder.
namespace edgetwin::bridge {
const char* library_name() { return "edgetwin_live_bridge"; }
}  // namespace edgetwin::bridge
