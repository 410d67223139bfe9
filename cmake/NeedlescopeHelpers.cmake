# needlescope_add_test(NAME src1.cc [src2.cc ...])
# One GoogleTest executable, linked to the library and the shared test helpers, with each
# TEST registered in ctest by gtest_discover_tests.
function(needlescope_add_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE needlescope_core needlescope_testing GTest::gtest_main)
  needlescope_use_pch(${name} tests)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
endfunction()

# Precompiled headers. Parsing OpenCV, nlohmann-json and GoogleTest's headers takes longer
# than compiling most of our (small) files, so every library file and every test file
# reuses one precompiled set: needlescope_pch_lib (the standard library parts most files
# use, OpenCV core and imgproc, nlohmann-json, TBB) and needlescope_pch_tests (the same and
# GoogleTest). Made once each, by targets that define no macros, so that any file may add
# its own definitions (clang refuses a PCH whose macros differ from the file's, not one it
# adds to). NEEDLESCOPE_PCH=OFF builds without them.
function(needlescope_add_pch_targets)
  if(NOT NEEDLESCOPE_PCH)
    return()
  endif()
  set(lib_headers <algorithm> <cmath> <cstdint> <map> <memory> <optional> <sstream> <string> <vector>
                  <opencv2/core.hpp> <opencv2/imgproc.hpp> <nlohmann/json.hpp> <tbb/parallel_for.h>)
  add_library(needlescope_pch_lib OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
  target_link_libraries(needlescope_pch_lib PRIVATE opencv_core opencv_imgproc TBB::tbb nlohmann_json::nlohmann_json)
  target_precompile_headers(needlescope_pch_lib PRIVATE ${lib_headers})
  if(NEEDLESCOPE_BUILD_TESTS)
    add_library(needlescope_pch_tests OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
    target_link_libraries(needlescope_pch_tests PRIVATE opencv_core opencv_imgproc TBB::tbb nlohmann_json::nlohmann_json
                                                        GTest::gtest)
    target_precompile_headers(needlescope_pch_tests PRIVATE ${lib_headers} <filesystem> <gtest/gtest.h>)
  endif()
endfunction()

# needlescope_use_pch(TARGET lib|tests): TARGET's files compile with that precompiled set.
function(needlescope_use_pch target kind)
  if(NEEDLESCOPE_PCH)
    target_precompile_headers(${target} REUSE_FROM needlescope_pch_${kind})
  endif()
endfunction()
