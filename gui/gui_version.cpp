// gui/: placeholder translation unit so the library exists; the viewer issue fills this folder.
namespace edgetwin::gui {
const char* library_name() { return "edgetwin_gui"; }
}  // namespace edgetwin::gui
