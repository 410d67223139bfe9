// Empty: the source of the targets that only make the precompiled headers
// (cmake/NeedlescopeHelpers.cmake, needlescope_use_pch).
