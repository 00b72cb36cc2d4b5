#include "zielwerk/storage/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "migrations.h"

namespace zielwerk::storage {

struct Database::Connection {
  explicit Connection(const std::filesystem::path& path)
      : db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}
  SQLite::Database db;
};

namespace {

// Another zielwerk process (a cron `run` next to `serve`) may hold the write lock briefly.
constexpr int kBusyTimeoutMs = 5000;

int read_user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

int current_schema_version() {
  return static_cast<int>(migrations().size());
}

Database::Database(std::filesystem::path path, std::unique_ptr<Connection> connection)
    : path_(std::move(path)), connection_(std::move(connection)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path) {
  try {
    auto connection = std::make_unique<Connection>(path);
    SQLite::Database& db = connection->db;
    db.setBusyTimeout(kBusyTimeoutMs);
    // Reading the version first also proves the file is a SQLite database.
    const int version = read_user_version(db);
    if (version > current_schema_version()) {
      return Error::storage(path.string() + ": the database has schema version " +
                            std::to_string(version) + ", newer than this zielwerk knows (" +
                            std::to_string(current_schema_version()) + "); use a newer zielwerk");
    }
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
    const auto& steps = migrations();
    for (int next = version + 1; next <= current_schema_version(); ++next) {
      SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(std::string(steps[static_cast<std::size_t>(next - 1)]));
      db.exec("PRAGMA user_version = " + std::to_string(next));
      transaction.commit();
    }
    return std::unique_ptr<Database>(new Database(path, std::move(connection)));
  } catch (const SQLite::Exception& error) {
    return Error::storage(path.string() + ": cannot open the database: " + error.what());
  }
}

int Database::schema_version() const {
  return read_user_version(connection_->db);
}

}  // namespace zielwerk::storage
