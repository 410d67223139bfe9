# needlescope_add_test(NAME src1.cc [src2.cc ...])
# One GoogleTest executable, linked to the library and the shared test helpers, with each
# TEST registered in ctest by gtest_discover_tests.
function(needlescope_add_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE needlescope_core needlescope_testing GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
endfunction()
