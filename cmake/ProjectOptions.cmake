# zielwerk_options: compile and link settings every zielwerk target links PRIVATE.
# Kept in one INTERFACE target so warnings and sanitizers are identical for the
# libraries, the executable and the tests (a sanitizer must be on at link time too).
add_library(zielwerk_options INTERFACE)
add_library(zielwerk::options ALIAS zielwerk_options)

target_compile_options(zielwerk_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                  -Wno-sign-conversion -Wnon-virtual-dtor)
if(ZIELWERK_WERROR)
  target_compile_options(zielwerk_options INTERFACE -Werror)
endif()

if(ZIELWERK_SANITIZE)
  target_compile_options(zielwerk_options INTERFACE -fsanitize=address,undefined
                                                    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(zielwerk_options INTERFACE -fsanitize=address,undefined)
endif()

# The fuzz build (fuzz/README.md): every library gets libFuzzer's coverage
# instrumentation and the sanitizers that turn silent memory errors and
# undefined behaviour into crashes; the fuzz targets add -fsanitize=fuzzer.
if(ZIELWERK_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ZIELWERK_BUILD_FUZZERS needs clang (libFuzzer), not "
                        "${CMAKE_CXX_COMPILER_ID}: configure with the `fuzz` preset or "
                        "-DCMAKE_CXX_COMPILER=clang++ in a fresh build directory")
  endif()
  target_compile_options(zielwerk_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(zielwerk_options INTERFACE -fsanitize=address,undefined)
endif()

# zielwerk_module(NAME SOURCES... DEPENDS...): one static library per module with
# its public headers under NAME/include and a namespaced alias zielwerk::NAME,
# compiled in unity batches where enabled (cmake/UnityBuild.cmake).
function(zielwerk_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(zielwerk_${name} STATIC ${ARG_SOURCES})
  add_library(zielwerk::${name} ALIAS zielwerk_${name})
  target_include_directories(zielwerk_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(zielwerk_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} zielwerk::options)
  zielwerk_unity(zielwerk_${name})
endfunction()
