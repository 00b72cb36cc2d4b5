# A compiler cache, when ccache is installed (scripts/setup.sh installs it):
# CI builds every commit from a clean clone, and most files are unchanged
# since the last run. Set before any target exists: CMAKE_CXX_COMPILER_LAUNCHER
# becomes each target's CXX_COMPILER_LAUNCHER when the target is created.
#
# The launcher runs ccache through `env` with the settings that let clones at
# different paths (CI clones afresh each time, a developer has several
# worktrees) share the cache: paths under this source tree are hashed
# relative to it (base_dir), and the working directory is not hashed
# (hash_dir=false; debug info then names the directory of the build that
# filled the cache). The cache itself is ccache's own (~/.cache/ccache unless
# ccache.conf or CCACHE_DIR say otherwise), kept between runs and clones.
option(ZIELWERK_CCACHE "Compile through ccache when it is installed" ON)
if(ZIELWERK_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(ZIELWERK_CCACHE_PROGRAM ccache)
  if(ZIELWERK_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        env "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" CCACHE_NOHASHDIR=true
        ${ZIELWERK_CCACHE_PROGRAM})
    message(STATUS "Compiling through ${ZIELWERK_CCACHE_PROGRAM}")
  endif()
endif()
