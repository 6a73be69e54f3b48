// sim/plan/db.hpp — a minimal RAII wrapper over SQLite 3 (Debian's libsqlite3): open, execute,
// prepared statements with bound values. Errors throw std::runtime_error naming the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace edgetwin::plan {

class Db;

class Statement {
 public:
  Statement(Db& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, const std::string& v);
  Statement& bind_null(int i);
  /// Steps once: true while a row is available.
  bool step();
  /// Runs to completion and resets for reuse (for INSERT/UPDATE).
  void run();
  void reset();

  bool is_null(int col) const;
  std::int64_t get_int(int col) const;
  double get_double(int col) const;
  std::string get_text(int col) const;

 private:
  Db* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  explicit Db(const std::string& path, bool create = true);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql);
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& what);

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// BEGIN ... COMMIT, rolled back if destroyed before commit().
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.exec("BEGIN"); }
  ~Transaction() {
    if (!done_) try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
  }
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace edgetwin::plan
