// Where the tests find the repository (corpus, example project) and the
// zielwerk executable under test. Defined in one file CMake generates
// (tests/CMakeLists.txt), not passed to every test file as compile
// definitions: so a test's object code does not depend on where the checkout
// is, and the compiler cache serves every clone.
#pragma once

namespace zielwerk::testing {

extern const char* const kSourceDir;
extern const char* const kZielwerkBinary;

}  // namespace zielwerk::testing

#define ZIELWERK_SOURCE_DIR (::zielwerk::testing::kSourceDir)
#define ZIELWERK_BINARY (::zielwerk::testing::kZielwerkBinary)
