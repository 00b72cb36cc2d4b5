// zielwerk-audit-generator: writes a synthetic audit trail of several years
// into a fresh database, for bench/audit_benchmark.py.
//
//   zielwerk-audit-generator --db PATH --records N [--agreement ID] [--seed S]
//                            [--bytes-out FILE] [--summary-json FILE] [--batch N]
//
// Every change goes through the storage module as the engine makes it: the
// rows first (naming their record's seq where the table has audit_seq), then
// storage::append_audit_record with the objects the change touched, so the
// trail, its object index and the state digests are exactly what zielwerk
// writes and `zielwerk audit verify` accepts. The database is claimed for the
// agreement (meta key "agreement", as engine/src/workspace.cpp does), so
// `zielwerk audit ... --project bench/project --db PATH` opens it.
//
// The trail (96 months, 2018-01..2025-12, times strictly increasing):
//  - two review workflows as in examples/me-aktiv-2025: a monthly one on the
//    BA goals of bench/project and a quarterly one on its municipal goals:
//    128 reviews, each prepared (review.prepare, with a snapshot and agenda of
//    a few KB in the review row; measures demanded for some goals:
//    escalation.measure_demanded), minuted (review.record, about 22 % of the
//    records: attendance, assessments, decisions, ...) and closed
//    (review.close); one is missed;
//  - measures agreed in the reviews (measure.add, N/250 in all) and followed
//    up over months (measure.update, about 74 % of the records: a note, a
//    status, a new due or follow-up date, another assignee; each writes a
//    measure_followup row); overdue measures escalated
//    (escalation.measure_overdue, about 3.5 %) and attached to the next agenda;
//  - milestones of two goals done (milestone.done) or escalated
//    (escalation.milestone_overdue) each quarter;
//  - a dozen actors (roles of the three parties and the automatic service),
//    a rule-set version per year.
// The same arguments give the same trail (a portable random generator).
//
// --bytes-out writes, for every record oldest first, previous_hash + "\n" +
// payload: exactly the bytes the verifier hashes, so sha256sum can hash the
// same bytes. Prints one summary line; --summary-json writes the figures and
// ids the benchmark queries for.
//
// --db names a new file, or a zielwerk database without records and rows yet:
// `--records 0` only creates one.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/milestone_store.h"
#include "zielwerk/storage/review_store.h"

namespace {

using namespace std::chrono;
using zielwerk::format_date;
using zielwerk::format_timestamp;
using zielwerk::Timestamp;
using zielwerk::YearMonth;
namespace storage = zielwerk::storage;
namespace domain = zielwerk::domain;

constexpr std::string_view kUsage =
    "usage: zielwerk-audit-generator --db PATH --records N [--agreement ID] [--seed S]\n"
    "                                [--bytes-out FILE] [--summary-json FILE] [--batch N]\n"
    "Writes N audit records of a synthetic trail of years into a new database, or one without\n"
    "records yet (N may end in k or M; 0 only creates the database). --bytes-out FILE:\n"
    "previous_hash \"\\n\" payload of every record, oldest first (the bytes `audit verify`\n"
    "hashes). --batch: changes per write transaction (default 20000).\n";

// --- deterministic randomness -----------------------------------------------------------------

// splitmix64: the same sequence on every platform and standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  // In [low, high].
  int between(int low, int high) {
    return low + static_cast<int>(below(static_cast<std::size_t>(high - low + 1)));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

// --- JSON text --------------------------------------------------------------------------------

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> escaped{};
          std::snprintf(escaped.data(), escaped.size(), "\\u%04x", static_cast<unsigned>(c));
          out += escaped.data();
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// A JSON object written member by member (append_audit_record canonicalises the
// details, so the order does not matter).
class Json {
 public:
  Json& raw(std::string_view key, std::string_view json) {
    text_ += text_.size() == 1 ? "" : ",";
    text_ += quote(key);
    text_ += ':';
    text_ += json;
    return *this;
  }
  Json& str(std::string_view key, std::string_view value) { return raw(key, quote(value)); }
  Json& num(std::string_view key, std::int64_t value) { return raw(key, std::to_string(value)); }
  Json& flag(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  Json& null(std::string_view key) { return raw(key, "null"); }
  std::string dump() const { return text_ + "}"; }

 private:
  std::string text_ = "{";
};

std::string json_array(const std::vector<std::string>& items_json) {
  std::string out = "[";
  for (std::size_t i = 0; i < items_json.size(); ++i) {
    if (i > 0) out += ',';
    out += items_json[i];
  }
  return out + "]";
}

std::string string_array(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const auto& item : items)
    quoted.push_back(quote(item));
  return json_array(quoted);
}

std::string with_commas(std::int64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// --- the world of the trail -------------------------------------------------------------------

// The goals of bench/project: twelve BA monitoring goals (section II) and three
// municipal ones (section IV).
const std::vector<std::string> kBaGoals = {"integrationen-frauen", "integrationen-maenner",
                                           "elb-frauen",           "elb-maenner",
                                           "lzb-frauen",           "lzb-maenner",
                                           "bg-bestand",           "llu-monitoring",
                                           "fbw-absolventen",      "fbw-absolventen-betreut",
                                           "beratungen-gesamt",    "beratungen-persoenlich"};
const std::vector<std::string> kMunicipalGoals = {"kdu-monitoring", "kdu-faelle-karenzende",
                                                  "kdu-verfahren-abgearbeitet"};

struct Workflow {
  std::string id;
  std::string title;
  const std::vector<std::string>* goals;
  std::vector<std::string> participants;
  std::string escalate_to;
  int every_months;    // 1 monthly, 3 quarterly (meetings in January, April, ...)
  unsigned weekday;    // of the meeting: 2 Tuesday, 4 Thursday
  unsigned week;       // the n-th such weekday of the month
  int start_hour_utc;  // of the meeting
  std::vector<std::string> coordinators;  // who records minutes, agrees and closes
  double share;                           // of the minutes and measures
};

const std::vector<Workflow>& workflows() {
  static const std::vector<Workflow> all = {
      {"ba-zielnachhaltedialog",
       "Zielnachhaltedialog Agentur für Arbeit – Jobcenter (Benchmark)",
       &kBaGoals,
       {"agentur", "jobcenter"},
       "agentur",
       1,
       2,
       2,
       8,
       {"controlling-jc", "traegercontrolling-agentur", "gf-jobcenter"},
       0.8},
      {"kommunal-zielnachhaltedialog",
       "Zieldialog Kommunaler Träger – Jobcenter (Benchmark)",
       &kMunicipalGoals,
       {"kreis", "jobcenter"},
       "kreis",
       3,
       4,
       3,
       13,
       {"sozialamt-kreis", "controlling-jc"},
       0.2},
  };
  return all;
}

constexpr std::string_view kServiceActor = "zielwerk-dienst";

// The teams that carry measures out, and who records their follow-ups.
struct Team {
  std::string assignee;
  std::vector<std::string> actors;
};
const std::vector<Team>& teams() {
  static const std::vector<Team> all = {
      {"Team Markt und Integration U25", {"teamleitung-u25", "controlling-jc"}},
      {"Team Markt und Integration Ü25", {"teamleitung-ue25", "controlling-jc"}},
      {"Arbeitgeberservice", {"arbeitgeberservice", "teamleitung-ue25"}},
      {"Leistungssachbearbeitung", {"teamleitung-leistung", "controlling-jc"}},
      {"Fallmanagement", {"fallmanagement", "teamleitung-ue25"}},
      {"Bildungsberatung / FbW", {"bildungsberatung", "teamleitung-u25"}},
      {"Sachgebiet Kosten der Unterkunft", {"sozialamt-kreis", "teamleitung-leistung"}},
      {"Controlling", {"controlling-jc"}},
  };
  return all;
}

const std::vector<std::string> kMeasureTitles = {
    "Aktivierungsoffensive für Langzeitleistungsbeziehende mit Profillagen 1–3",
    "Sprechtage des Arbeitgeberservice in den Standorten ausbauen",
    "Nachbetreuung der FbW-Absolventinnen und -Absolventen in den ersten sechs Monaten",
    "Gezielte Ansprache von Frauen mit Kindern unter drei Jahren (Teilzeitausbildung)",
    "Fallkonferenzen für Bedarfsgemeinschaften mit mehr als 48 Monaten Leistungsbezug",
    "Stellenakquise in Pflege und Logistik mit zwei Jobmessen im Halbjahr",
    "Kostensenkungsverfahren vor Ablauf der Karenzzeit einleiten",
    "Persönliche Beratung statt Telefontermin für Neukundinnen und Neukunden",
    "Bewerbungscenter für Ü50 mit wöchentlicher offener Sprechstunde",
    "Übergang Schule–Beruf: gemeinsame Fallbesprechungen mit der Berufsberatung",
    "Qualifizierungsplanung mit Bildungsgutscheinen für Helferinnen und Helfer",
    "Abbau der Rückstände in der Bearbeitung von Weiterbewilligungsanträgen",
    "Integrationsbegleitung nach Arbeitsaufnahme (Stabilisierung in Beschäftigung)",
    "Sprachkurs-Anschlussplanung für Teilnehmende der Berufssprachkurse",
    "Mietobergrenzen prüfen und Fälle mit Überschreitung nachsteuern",
    "Teamziele je Standort monatlich nachhalten und Abweichungen erläutern",
};

const std::vector<std::string> kNotes = {
    "Zwischenstand im Team besprochen; {n} Kundinnen und Kunden angesprochen, {m} Termine "
    "vereinbart.",
    "Umsetzung läuft planmäßig; erste Eingliederungen ({m}) im Berichtsmonat.",
    "Verzögerung wegen Personalausfall im Team; Nachholtermine in den kommenden Wochen.",
    "Abstimmung mit dem Arbeitgeberservice erfolgt, {n} Stellenangebote gemeldet.",
    "Teilnehmerzahl unter Plan ({m} von {n}); Ansprache wird ausgeweitet.",
    "Träger hat Maßnahmebeginn bestätigt; Zuweisungen laufen.",
    "Auswertung der Kennzahlen liegt vor, Wirkung noch nicht belastbar.",
    "Im Zielnachhaltedialog vorgestellt; Fortsetzung wie vereinbart.",
    "Rückmeldung der Standorte eingeholt; {n} Fälle nachgesteuert.",
    "Schulung der Integrationsfachkräfte durchgeführt ({m} Teilnehmende).",
};

const std::vector<std::string> kAssessments = {
    "Die Integrationsquote liegt im Plan; die Entwicklung der Langzeitleistungsbeziehenden "
    "bleibt hinter dem Vorjahr zurück.",
    "Der Bestand an erwerbsfähigen Leistungsberechtigten sinkt saisonal; die Zielerreichung ist "
    "nicht gefährdet.",
    "Die Zahl der persönlichen Beratungen liegt unter dem Vorjahresmonat, die Gesamtberatungen "
    "darüber.",
    "Die Kosten der Unterkunft steigen stärker als erwartet; Ursache sind Mietanpassungen.",
    "Die Absolventenbetreuung erreicht 80 % der FbW-Absolventinnen und -Absolventen.",
};

const std::vector<std::string> kDecisions = {
    "Die Maßnahme wird fortgeführt; Bericht im nächsten Dialog.",
    "Das Jobcenter legt bis zum nächsten Termin eine Ursachenanalyse vor.",
    "Die Agentur unterstützt mit zusätzlichen Arbeitsmarktdaten aus dem Regionalmonitoring.",
    "Die Zielwerte werden unverändert beibehalten; keine Nachverhandlung.",
    "Ein Sondertermin zur Entwicklung der Langzeitleistungsbeziehenden wird angesetzt.",
    "Der kommunale Träger prüft die Anpassung der Mietobergrenzen.",
};

const std::vector<std::string> kConditions = {
    "Regionaler Arbeitsmarkt: Rückgang der gemeldeten Stellen um 6 % gegenüber dem Vorjahr.",
    "Zugang von Geflüchteten aus der Ukraine erhöht den Bestand seit März.",
    "Personalausfall in zwei Teams (Langzeiterkrankung, Elternzeit).",
    "Umstellung der IT-Fachverfahren bindet Kapazität in der Leistungssachbearbeitung.",
};

const std::vector<std::string> kAttendees = {
    "Geschäftsführung Jobcenter",
    "Bereichsleitung Markt und Integration",
    "Controlling Jobcenter",
    "Trägercontrolling der Agentur",
    "Vorsitz der Geschäftsführung (AA)",
    "Sozialamt des Kreises",
    "Bereichsleitung Leistung",
    "Beauftragte für Chancengleichheit",
    "Teamleitung Arbeitgeberservice",
    "Dezernat Soziales des Kreises",
};

const std::vector<std::string> kDropReasons = {
    "Zielgruppe wird von der Maßnahme nicht erreicht; Mittel werden umgeschichtet.",
    "Träger hat die Maßnahme abgesagt; Ersatz im nächsten Dialog.",
    "Durch die neue Förderrichtlinie überholt.",
};

std::string fill(std::string text, Random& random) {
  for (const auto& [key, high] : {std::pair{std::string("{n}"), 160}, {std::string("{m}"), 40}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), std::to_string(random.between(3, high)));
    }
  }
  return text;
}

year_month_day nth_weekday(YearMonth month, unsigned weekday, unsigned n) {
  const year_month_weekday day{year{month.year()},
                               std::chrono::month{static_cast<unsigned>(month.month())},
                               weekday_indexed{std::chrono::weekday{weekday}, n}};
  return year_month_day{sys_days{day}};
}

Timestamp at(year_month_day day, int hour) {
  return Timestamp{sys_days{day} + hours{hour}};
}

year_month_day plus_days(year_month_day day, int count) {
  return year_month_day{sys_days{day} + days{count}};
}

// --- the generator ----------------------------------------------------------------------------

struct Options {
  std::filesystem::path db;
  std::int64_t records = 0;
  std::string agreement = "bench-2025";
  std::uint64_t seed = 1;
  std::optional<std::filesystem::path> bytes_out;
  std::optional<std::filesystem::path> summary_json;
  int batch = 20000;
};

struct Measure {
  domain::Measure record;
  std::size_t workflow = 0;
  std::size_t team = 0;
  std::string escalated_due;  // the due date it was escalated for
  std::int64_t audit_records = 0;
};

struct OpenReview {
  std::string id;
  YearMonth period;
  year_month_day meeting{};
  std::vector<std::string> attendance;
  std::vector<std::string> demanded_goals;
  std::vector<std::int64_t> measures_agreed;
  std::int64_t entries = 0;
  std::int64_t audit_records = 0;
};

class TrailGenerator {
 public:
  static constexpr int kMonths = 96;  // 2018-01 .. 2025-12
  static constexpr YearMonth kFirstMonth{2018, 1};

  TrailGenerator(storage::Database& database, const Options& options)
      : db_(database),
        options_(options),
        random_(options.seed),
        measures_target_(std::max<std::int64_t>(40, options.records / 250)) {
    for (int year = kFirstMonth.year(); year <= kFirstMonth.plus_months(kMonths - 1).year();
         ++year) {
      rule_sets_[year] = zielwerk::sha256_hex(options.agreement + " rules of " +
                                              std::to_string(year) + " (synthetic)");
    }
    reviews_.resize(workflows().size());
    int reviews = 0;
    for (const auto& flow : workflows())
      reviews += kMonths / flow.every_months;
    adds_per_review_ = static_cast<double>(measures_target_) / reviews;
    begin_month(0);
  }

  std::int64_t records() const { return records_; }
  bool done() const { return records_ >= options_.records; }

  // One change: its rows and its audit record(s).
  void step() {
    while (records_ >= month_end_record_ && month_ + 1 < kMonths)
      begin_month(month_ + 1);
    if (!fixed_.empty()) {
      auto change = std::move(fixed_.front());
      fixed_.erase(fixed_.begin());
      change();
      return;
    }
    bulk_change();
  }

  // The summary as JSON members (counts, ids for the benchmark's queries).
  Json summary() const {
    Json operations;
    for (const auto& [name, count] : operations_)
      operations.num(name, count);
    Json actors;
    for (const auto& [name, count] : actors_)
      actors.num(name, count);
    Json objects;
    objects.num("measures", static_cast<std::int64_t>(measures_.size()))
        .num("measure_followups", followups_)
        .num("reviews", reviews_written_)
        .num("review_entries", entries_)
        .num("escalations", escalations_)
        .num("milestones", milestones_);
    // A measure with a typical number of records, the review in the middle of
    // the trail, the busiest actor, a month in the middle.
    std::int64_t measure = 1;
    if (!measures_.empty()) {
      std::vector<std::pair<std::int64_t, std::int64_t>> by_records;
      for (const auto& m : measures_)
        by_records.emplace_back(m.audit_records, m.record.id);
      std::sort(by_records.begin(), by_records.end());
      measure = by_records[by_records.size() / 2].second;
    }
    std::string busiest;
    std::int64_t most = -1;
    for (const auto& [name, count] : actors_) {
      if (count > most && name != kServiceActor) {
        busiest = name;
        most = count;
      }
    }
    const std::string review = middle_review_.empty() ? first_review_ : middle_review_;
    Json samples;
    samples.str("goal", kBaGoals.front())
        .str("measure", std::to_string(measure))
        .str("review", review)
        .num("review_records", review_records_.count(review) ? review_records_.at(review) : 0)
        .str("actor", busiest)
        .str("month", kFirstMonth.plus_months(kMonths / 2).to_string())
        .str("operation", "measure.add");
    return Json()
        .num("records", records_)
        .str("first_recorded_at", first_time_ ? format_timestamp(*first_time_) : "")
        .str("last_recorded_at", format_timestamp(last_time_))
        .raw("operations", operations.dump())
        .raw("actors", actors.dump())
        .raw("objects", objects.dump())
        .raw("query_samples", samples.dump());
  }

 private:
  // --- time and bookkeeping

  void begin_month(int month) {
    month_ = month;
    const YearMonth current = kFirstMonth.plus_months(month);
    month_first_record_ = records_;
    month_end_record_ =
        month + 1 == kMonths ? options_.records : options_.records * (month + 1) / kMonths;
    month_start_ =
        at(year_month_day{year{current.year()} / static_cast<unsigned>(current.month()) / 1}, 6);
    month_span_ = at(current.last_day(), 18) - month_start_;
    plan_fixed_changes(current);
  }

  Timestamp tick() {
    const auto quota = std::max<std::int64_t>(1, month_end_record_ - month_first_record_);
    const double position =
        (static_cast<double>(records_ - month_first_record_) + 0.1 + 0.8 * random_.unit()) /
        static_cast<double>(quota);
    Timestamp time =
        month_start_ + milliseconds{static_cast<std::int64_t>(
                           static_cast<double>(month_span_.count()) * std::min(position, 1.0))};
    if (time <= last_time_) time = last_time_ + milliseconds{1 + random_.between(0, 999)};
    last_time_ = time;
    if (!first_time_) first_time_ = time;
    return time;
  }

  const std::string& rule_set(Timestamp time) const {
    return rule_sets_.at(static_cast<int>(year_month_day{floor<days>(time)}.year()));
  }

  std::int64_t append(Timestamp now, std::string_view actor, std::string operation,
                      std::vector<storage::AuditObject> objects, std::string details) {
    storage::AuditEvent event;
    event.recorded_at = now;
    event.actor = std::string(actor);
    event.operation = operation;
    event.objects = std::move(objects);
    event.rule_set_version = rule_set(now);
    event.details_json = std::move(details);
    const std::int64_t seq = storage::append_audit_record(db_, event);
    ++records_;
    ++operations_[operation];
    ++actors_[event.actor];
    for (const auto& object : event.objects) {
      if (object.kind == "review") ++review_records_[object.id];
    }
    return seq;
  }

  // --- the changes that follow the calendar

  void plan_fixed_changes(YearMonth current) {
    for (std::size_t w = 0; w < workflows().size(); ++w) {
      const Workflow& flow = workflows()[w];
      if ((current.month() - 1) % flow.every_months != 0) continue;
      if (!reviews_[w].id.empty()) fixed_.push_back([this, w] { close_review(w); });
      // One meeting of the municipal dialogue passes without zielwerk running.
      const bool missed = w == 1 && month_ == 27;
      fixed_.push_back([this, w, current, missed] { prepare_review(w, current, missed); });
    }
    for (std::size_t w = 0; w < workflows().size(); ++w) {
      if ((current.month() - 1) % workflows()[w].every_months == 0) {
        pending_adds_ += adds_per_review_;
      }
    }
    // Milestones of two goals each quarter's last month: done, or first escalated.
    if (current.month() % 3 == 0) {
      static const std::array<std::string_view, 4> kNames = {"konzept", "schulung", "umsetzung",
                                                             "bericht"};
      for (const auto& [goal, w] : {std::pair{std::string("fbw-absolventen-betreut"), 0},
                                    {std::string("kdu-verfahren-abgearbeitet"), 1}}) {
        const std::string milestone =
            std::to_string(current.year()) + "-q" + std::to_string(current.month() / 3) + "-" +
            std::string(kNames[static_cast<std::size_t>(current.month() / 3 - 1)]);
        const auto due = current.last_day();
        if (random_.chance(0.25)) {
          fixed_.push_back([this, goal, milestone, due, w] {
            milestone_overdue(goal, milestone, due, static_cast<std::size_t>(w));
          });
        }
        fixed_.push_back([this, goal, milestone, due] { milestone_done(goal, milestone, due); });
      }
    }
  }

  void close_review(std::size_t w) {
    OpenReview& review = reviews_[w];
    const Workflow& flow = workflows()[w];
    const Timestamp now = tick();
    const std::string& actor = flow.coordinators.front();
    storage::close_review_record(db_, review.id, now, actor);
    std::vector<std::string> agreed;
    for (const auto id : review.measures_agreed)
      agreed.push_back(std::to_string(id));
    append(now, actor, "review.close", {{"review", review.id}, {"workflow", flow.id}},
           Json()
               .str("review", review.id)
               .raw("attendance", string_array(review.attendance))
               .num("entries", review.entries)
               .raw("measures_agreed", json_array(agreed))
               .dump());
    review = OpenReview{};
  }

  std::string snapshot(const Workflow& flow, YearMonth period, Timestamp now,
                       std::map<std::string, std::string>& statuses) {
    static const std::vector<std::string> kStatus = {"achieved", "on_track", "at_risk", "missed"};
    std::vector<std::string> goals;
    for (const auto& goal : *flow.goals) {
      const std::string status = kStatus[random_.below(kStatus.size())];
      statuses[goal] = status;
      const int previous = random_.between(800, 24000);
      const int actual = previous + random_.between(-previous / 8, previous / 10);
      goals.push_back(Json()
                          .str("goal", goal)
                          .str("status", status)
                          .str("period", period.to_string())
                          .num("actual", actual)
                          .num("previous_year", previous)
                          .num("cumulative", actual * period.month())
                          .str("compare", "previous_year")
                          .str("explanation", "Vergleich mit dem Vorjahresmonat " +
                                                  period.plus_months(-12).to_string())
                          .dump());
    }
    return Json()
        .raw("evaluation", Json()
                               .str("agreement", options_.agreement)
                               .str("period", period.to_string())
                               .str("rule_set_version", rule_set(now))
                               .raw("goals", json_array(goals))
                               .dump())
        .null("figures_known_at")
        .str("prepared_at", format_timestamp(now))
        .raw("data_revisions", "[]")
        .dump();
  }

  void prepare_review(std::size_t w, YearMonth current, bool missed) {
    const Workflow& flow = workflows()[w];
    const Timestamp now = tick();
    const YearMonth period = current.plus_months(-1);
    const auto meeting = nth_weekday(current, flow.weekday, flow.week);
    storage::ReviewRecord review;
    review.id = flow.id + "/" + period.to_string();
    review.workflow = flow.id;
    review.period = period;
    review.meeting_date = meeting;
    review.starts_at = at(meeting, flow.start_hour_utc);
    review.prepared_at = now;
    review.prepared_by = std::string(kServiceActor);
    review.rule_set_version = rule_set(now);
    review.audit_seq = storage::next_audit_seq(db_);
    ++reviews_written_;
    if (first_review_.empty()) first_review_ = review.id;
    if (middle_review_.empty() && month_ >= kMonths / 2 && w == 0) middle_review_ = review.id;
    if (missed) {
      review.state = domain::ReviewState::missed;
      storage::insert_review(db_, review);
      append(now, kServiceActor, "review.missed", {{"review", review.id}, {"workflow", flow.id}},
             Json()
                 .str("period", period.to_string())
                 .str("meeting_date", format_date(meeting))
                 .str("starts_at", format_timestamp(review.starts_at))
                 .dump());
      return;
    }
    std::map<std::string, std::string> statuses;
    review.snapshot_json = snapshot(flow, period, now, statuses);
    std::vector<std::string> open_measures;
    std::int64_t open_count = 0;
    for (const auto id : open_) {
      const Measure& measure = measures_[static_cast<std::size_t>(id - 1)];
      if (measure.workflow != w) continue;
      ++open_count;
      if (open_measures.size() >= 15) continue;
      open_measures.push_back(Json()
                                  .num("id", id)
                                  .str("goal", measure.record.goal)
                                  .str("title", measure.record.title)
                                  .str("assignee", measure.record.assignee)
                                  .str("due", format_date(measure.record.due_on))
                                  .str("status", domain::to_string(measure.record.status))
                                  .dump());
    }
    // Measures demanded for goals at risk or missed a second time.
    std::vector<std::string> demanded;
    for (const auto& [goal, status] : statuses) {
      if ((status == "missed" || status == "at_risk") && random_.chance(0.15)) {
        demanded.push_back(goal);
      }
    }
    if (demanded.size() > 3) demanded.resize(3);
    Json status_json;
    for (const auto& [goal, status] : statuses)
      status_json.str(goal, status);
    review.agenda_json = Json()
                             .str("review", review.id)
                             .str("workflow", flow.id)
                             .str("title", flow.title)
                             .raw("participants", string_array(flow.participants))
                             .str("period", period.to_string())
                             .str("meeting_date", format_date(meeting))
                             .str("starts_at", format_timestamp(review.starts_at))
                             .null("holiday")
                             .flag("late", false)
                             .raw("goals", status_json.dump())
                             .raw("measures", json_array(open_measures))
                             .raw("escalations", "[]")
                             .raw("missed_reviews", "[]")
                             .dump();
    storage::insert_review(db_, review);
    std::vector<storage::AuditObject> objects = {{"review", review.id}, {"workflow", flow.id}};
    const auto attached = storage::attach_pending_escalations(db_, flow.id, review.id);
    for (const auto id : attached)
      objects.push_back({"escalation", std::to_string(id)});
    append(now, kServiceActor, "review.prepare", std::move(objects),
           Json()
               .str("period", period.to_string())
               .str("meeting_date", format_date(meeting))
               .flag("late", false)
               .null("figures_known_at")
               .raw("data_revisions", "[]")
               .str("snapshot_sha256", zielwerk::sha256_hex(review.snapshot_json))
               .str("agenda_sha256", zielwerk::sha256_hex(review.agenda_json))
               .raw("statuses", status_json.dump())
               .num("open_measures", open_count)
               .num("escalations", static_cast<std::int64_t>(attached.size() + demanded.size()))
               .dump());
    OpenReview& open = reviews_[w];
    open = OpenReview{};
    open.id = review.id;
    open.period = period;
    open.meeting = meeting;
    for (const auto& goal : demanded) {
      storage::EscalationRecord escalation;
      escalation.kind = domain::EscalationKind::measure_demanded;
      escalation.subject = review.id + "/" + goal;
      escalation.workflow = flow.id;
      escalation.goal = goal;
      escalation.party = flow.escalate_to;
      escalation.facts_json = "goal " + goal + " is " + statuses[goal] +
                              " for the second review in a row and has no open measure";
      escalation.raised_at = now;
      escalation.review_id = review.id;
      escalation.audit_seq = storage::next_audit_seq(db_);
      const auto id = storage::insert_escalation(db_, escalation);
      if (!id) continue;
      ++escalations_;
      append(
          now, kServiceActor, "escalation.measure_demanded",
          {{"review", review.id},
           {"goal", goal},
           {"workflow", flow.id},
           {"escalation", std::to_string(*id)}},
          Json().str("reason", escalation.facts_json).str("escalated_to", flow.escalate_to).dump());
      open.demanded_goals.push_back(goal);
    }
  }

  void milestone_done(const std::string& goal, const std::string& milestone, year_month_day due) {
    const Timestamp now = tick();
    const std::string actor = "controlling-jc";
    const auto done_on = std::min(year_month_day{floor<days>(now)}, plus_days(due, 20));
    storage::insert_milestone_record(
        db_, {goal, milestone, done_on, now, actor, storage::next_audit_seq(db_)});
    ++milestones_;
    append(now, actor, "milestone.done", {{"goal", goal}, {"milestone", goal + "/" + milestone}},
           Json()
               .str("goal", goal)
               .str("milestone", milestone)
               .str("done_on", format_date(done_on))
               .str("due", format_date(due))
               .dump());
  }

  void milestone_overdue(const std::string& goal, const std::string& milestone, year_month_day due,
                         std::size_t w) {
    const Workflow& flow = workflows()[w];
    const Timestamp now = tick();
    storage::EscalationRecord escalation;
    escalation.kind = domain::EscalationKind::milestone_overdue;
    escalation.subject = goal + "/" + milestone;
    escalation.workflow = flow.id;
    escalation.goal = goal;
    escalation.milestone = milestone;
    escalation.party = flow.escalate_to;
    escalation.facts_json = "milestone " + milestone + " of " + goal + " was due on " +
                            format_date(due) + " and is not done";
    escalation.raised_at = now;
    escalation.audit_seq = storage::next_audit_seq(db_);
    const auto id = storage::insert_escalation(db_, escalation);
    if (!id) return;
    ++escalations_;
    append(
        now, kServiceActor, "escalation.milestone_overdue",
        {{"goal", goal},
         {"milestone", goal + "/" + milestone},
         {"workflow", flow.id},
         {"escalation", std::to_string(*id)}},
        Json().str("reason", escalation.facts_json).str("escalated_to", flow.escalate_to).dump());
  }

  // --- the everyday changes

  std::size_t pick_workflow() {
    const std::size_t w = random_.chance(workflows()[0].share) ? 0 : 1;
    if (!reviews_[w].id.empty()) return w;
    return reviews_[1 - w].id.empty() ? workflows().size() : 1 - w;
  }

  void bulk_change() {
    const auto in_month = records_ - month_first_record_;
    const auto quota = std::max<std::int64_t>(1, month_end_record_ - month_first_record_);
    // Measures are agreed in the meetings, early in the month.
    if (pending_adds_ >= 1.0) {
      const double left = 0.15 * static_cast<double>(quota) - static_cast<double>(in_month);
      if (left <= pending_adds_ || random_.unit() * left < pending_adds_) {
        if (add_measure()) {
          pending_adds_ -= 1.0;
          return;
        }
      }
    }
    const double choice = random_.unit();
    if (choice < 0.05 && escalate_overdue_measure()) return;
    if (choice < 0.26 && record_minutes()) return;
    if (update_measure()) return;
    if (record_minutes()) return;
    if (add_measure()) return;
    // Nothing open at all (only at the very start): a milestone of its own.
    milestone_done("kdu-verfahren-abgearbeitet", "vorbereitung-" + std::to_string(records_),
                   kFirstMonth.last_day());
  }

  bool add_measure() {
    const std::size_t w = pick_workflow();
    if (w >= workflows().size()) return false;
    const Workflow& flow = workflows()[w];
    OpenReview& review = reviews_[w];
    const Timestamp now = tick();
    const std::string& actor = flow.coordinators[random_.below(flow.coordinators.size())];
    Measure measure;
    measure.workflow = w;
    measure.team = w == 1 ? (random_.chance(0.7) ? 6 : 3) : random_.below(teams().size() - 2);
    if (w == 0 && random_.chance(0.1)) measure.team = 7;
    domain::Measure& record = measure.record;
    record.goal = flow.goals->at(random_.below(flow.goals->size()));
    record.review_id = review.id;
    record.title = random_.pick(kMeasureTitles);
    record.owner_party = flow.participants[random_.below(flow.participants.size())];
    record.assignee = teams()[measure.team].assignee;
    record.due_on = std::max(review.meeting, year_month_day{floor<days>(now)});
    record.due_on = YearMonth(static_cast<int>(record.due_on.year()),
                              static_cast<int>(unsigned(record.due_on.month())))
                        .plus_months(random_.between(2, 6))
                        .last_day();
    if (random_.chance(0.7))
      record.follow_up_on = plus_days(record.due_on, -random_.between(20, 45));
    record.status = domain::MeasureStatus::agreed;
    record.created_at = now;
    record.created_by = actor;
    record.updated_at = now;
    record.id = storage::insert_measure(db_, record);
    measure.audit_records = 1;
    append(now, actor, "measure.add",
           {{"measure", std::to_string(record.id)}, {"goal", record.goal}, {"review", review.id}},
           Json()
               .num("measure", record.id)
               .str("goal", record.goal)
               .str("review", review.id)
               .str("workflow", flow.id)
               .str("title", record.title)
               .str("owner", record.owner_party)
               .str("assignee", record.assignee)
               .str("due", format_date(record.due_on))
               .raw("follow_up",
                    record.follow_up_on ? quote(format_date(*record.follow_up_on)) : "null")
               .str("status", "agreed")
               .dump());
    review.measures_agreed.push_back(record.id);
    open_.push_back(record.id);
    measures_.push_back(std::move(measure));
    return true;
  }

  bool update_measure() {
    if (open_.empty()) return false;
    const std::size_t slot = random_.below(open_.size());
    Measure& measure = measures_[static_cast<std::size_t>(open_[slot] - 1)];
    const domain::Measure before = measure.record;
    domain::Measure& after = measure.record;
    const OpenReview& review = reviews_[measure.workflow];
    const Timestamp now = tick();
    const year_month_day today{floor<days>(now)};
    const Team& team = teams()[measure.team];
    const std::string& actor =
        random_.chance(0.8) ? team.actors.front() : random_.pick(team.actors);

    Json changes;
    bool changed = false;
    // Finished measures leave the pool about as fast as new ones are agreed.
    const double updates_per_month =
        0.70 * static_cast<double>(options_.records) / static_cast<double>(kMonths);
    const double adds_per_month = static_cast<double>(measures_target_) / kMonths;
    const double target_pool = std::max(8.0, adds_per_month * 6.0);
    const double finish = adds_per_month / std::max(1.0, updates_per_month) *
                          static_cast<double>(open_.size()) / target_pool;
    std::string note;
    if (random_.chance(finish)) {
      after.status =
          random_.chance(0.8) ? domain::MeasureStatus::done : domain::MeasureStatus::dropped;
      if (after.status == domain::MeasureStatus::dropped) {
        after.reason = random_.pick(kDropReasons);
        changes.raw("reason", "[null," + quote(after.reason) + "]");
      }
    } else if (before.status == domain::MeasureStatus::agreed && random_.chance(0.12)) {
      after.status = domain::MeasureStatus::in_progress;
    }
    if (after.status != before.status) {
      changes.raw("status", "[" + quote(domain::to_string(before.status)) + "," +
                                quote(domain::to_string(after.status)) + "]");
      changed = true;
    }
    if (domain::is_open(after.status)) {
      if (random_.chance(0.06)) {
        const year_month_day base = std::max(before.due_on, today);
        after.due_on =
            YearMonth(static_cast<int>(base.year()), static_cast<int>(unsigned(base.month())))
                .plus_months(random_.between(1, 2))
                .last_day();
        changes.raw("due", "[" + quote(format_date(before.due_on)) + "," +
                               quote(format_date(after.due_on)) + "]");
        changed = true;
      }
      if (random_.chance(0.10)) {
        after.follow_up_on = std::min(after.due_on, plus_days(today, random_.between(14, 42)));
        if (after.follow_up_on != before.follow_up_on) {
          changes.raw("follow_up",
                      "[" +
                          (before.follow_up_on ? quote(format_date(*before.follow_up_on))
                                               : std::string("null")) +
                          "," + quote(format_date(*after.follow_up_on)) + "]");
          changed = true;
        }
      }
      if (random_.chance(0.03)) {
        const std::string other = teams()[random_.below(teams().size())].assignee;
        if (other != before.assignee) {
          after.assignee = other;
          changes.raw("assignee", "[" + quote(before.assignee) + "," + quote(other) + "]");
          changed = true;
        }
      }
    }
    if (!changed || random_.chance(0.6)) note = fill(random_.pick(kNotes), random_);
    after.updated_at = now;

    const bool in_review = !review.id.empty() && random_.chance(0.7);
    std::vector<storage::AuditObject> objects = {{"measure", std::to_string(before.id)},
                                                 {"goal", before.goal}};
    Json details;
    details.num("measure", before.id)
        .str("goal", before.goal)
        .str("status", domain::to_string(after.status))
        .raw("changes", changes.dump());
    if (in_review) {
      objects.push_back({"review", review.id});
      details.str("review", review.id);
    }
    if (!note.empty()) details.str("note", note);
    storage::update_measure(db_, after);
    storage::FollowUpRecord follow_up;
    follow_up.measure_id = before.id;
    follow_up.review_id = in_review ? review.id : std::string();
    follow_up.recorded_at = now;
    follow_up.actor = actor;
    follow_up.status = after.status;
    follow_up.note = note;
    follow_up.changes_json = changes.dump();
    follow_up.audit_seq = storage::next_audit_seq(db_);
    objects.push_back(
        {"measure_followup", std::to_string(storage::insert_measure_follow_up(db_, follow_up))});
    ++followups_;
    ++measure.audit_records;
    append(now, actor, "measure.update", std::move(objects), details.dump());
    if (!domain::is_open(after.status)) {
      open_[slot] = open_.back();
      open_.pop_back();
    }
    return true;
  }

  bool escalate_overdue_measure() {
    if (open_.empty()) return false;
    const year_month_day today{floor<days>(last_time_)};
    Measure* chosen = nullptr;
    for (int attempt = 0; attempt < 8 && chosen == nullptr; ++attempt) {
      Measure& candidate = measures_[static_cast<std::size_t>(random_.pick(open_) - 1)];
      const std::string due = format_date(candidate.record.due_on);
      if (candidate.escalated_due == due) continue;
      if (candidate.record.due_on < today || attempt >= 4) chosen = &candidate;
    }
    if (chosen == nullptr) return false;
    Measure& measure = *chosen;
    const Workflow& flow = workflows()[measure.workflow];
    const Timestamp now = tick();
    const domain::Measure& record = measure.record;
    storage::EscalationRecord escalation;
    escalation.kind = domain::EscalationKind::measure_overdue;
    escalation.subject =
        "measure/" + std::to_string(record.id) + "/due/" + format_date(record.due_on);
    escalation.workflow = flow.id;
    escalation.goal = record.goal;
    escalation.measure_id = record.id;
    escalation.party = flow.escalate_to;
    escalation.facts_json = "measure " + std::to_string(record.id) + " \"" + record.title +
                            "\" for " + record.goal + " (owner " + record.owner_party +
                            ") was due on " + format_date(record.due_on) + " and is " +
                            domain::to_string(record.status);
    escalation.raised_at = now;
    escalation.audit_seq = storage::next_audit_seq(db_);
    const auto id = storage::insert_escalation(db_, escalation);
    if (!id) return false;
    measure.escalated_due = format_date(record.due_on);
    ++escalations_;
    ++measure.audit_records;
    append(now, kServiceActor, "escalation.measure_overdue",
           {{"measure", std::to_string(record.id)},
            {"goal", record.goal},
            {"workflow", flow.id},
            {"escalation", std::to_string(*id)}},
           Json()
               .num("measure", record.id)
               .str("due", format_date(record.due_on))
               .str("status", domain::to_string(record.status))
               .str("escalated_to", flow.escalate_to)
               .str("reason", escalation.facts_json)
               .dump());
    return true;
  }

  bool record_minutes() {
    const std::size_t w = pick_workflow();
    if (w >= workflows().size()) return false;
    const Workflow& flow = workflows()[w];
    OpenReview& review = reviews_[w];
    const Timestamp now = tick();
    const std::string& actor = flow.coordinators[random_.below(flow.coordinators.size())];
    const auto seq = storage::next_audit_seq(db_);
    std::vector<storage::AuditObject> objects = {{"review", review.id}};
    Json details;
    details.str("review", review.id);
    const auto add = [&](domain::EntryKind kind, const std::string& goal, const std::string& text) {
      domain::ReviewEntry entry;
      entry.review_id = review.id;
      entry.kind = kind;
      entry.goal = goal;
      entry.text = text;
      entry.recorded_at = now;
      entry.actor = actor;
      entry.audit_seq = seq;
      objects.push_back({"review_entry", std::to_string(storage::insert_review_entry(db_, entry))});
      ++review.entries;
      ++entries_;
    };
    if (review.attendance.empty()) {
      std::vector<std::string> names;
      const std::size_t count = static_cast<std::size_t>(random_.between(3, 5));
      const std::size_t first = random_.below(kAttendees.size());
      for (std::size_t i = 0; i < count; ++i)
        names.push_back(kAttendees[(first + i * 3) % kAttendees.size()]);
      for (const auto& name : names)
        add(domain::EntryKind::attendance, "", name);
      review.attendance = names;
      details.raw("attendance", string_array(names));
    }
    const double what = random_.unit();
    if (what < 0.35) {
      const std::string text = random_.pick(kAssessments);
      add(domain::EntryKind::assessment, "", text);
      details.str("assessment", text);
    } else if (what < 0.45) {
      const std::string text = random_.pick(kConditions);
      add(domain::EntryKind::external_conditions, "", text);
      details.str("external_conditions", text);
    } else if (what < 0.50 && !review.demanded_goals.empty()) {
      const std::string goal = review.demanded_goals.back();
      review.demanded_goals.pop_back();
      const std::string reason =
          "Die Abweichung ist saisonal bedingt; eine Maßnahme ist nicht erforderlich.";
      objects.push_back({"goal", goal});
      add(domain::EntryKind::no_measure, goal, reason);
      details.raw("no_measure", "[" + Json().str("goal", goal).str("reason", reason).dump() + "]");
    }
    {
      std::vector<std::string> decisions;
      const int count = random_.between(what < 0.5 ? 0 : 1, 2);
      for (int i = 0; i < count; ++i) {
        decisions.push_back(random_.pick(kDecisions));
        add(domain::EntryKind::decision, "", decisions.back());
      }
      if (objects.size() == 1) {  // always something recorded
        decisions.push_back(random_.pick(kDecisions));
        add(domain::EntryKind::decision, "", decisions.back());
      }
      if (!decisions.empty()) details.raw("decisions", string_array(decisions));
    }
    append(now, actor, "review.record", std::move(objects), details.dump());
    return true;
  }

  storage::Database& db_;
  const Options& options_;
  Random random_;
  std::int64_t measures_target_;
  double adds_per_review_ = 0;
  std::map<int, std::string> rule_sets_;

  int month_ = 0;
  std::int64_t month_first_record_ = 0;
  std::int64_t month_end_record_ = 0;
  Timestamp month_start_{};
  milliseconds month_span_{};
  Timestamp last_time_{};
  std::optional<Timestamp> first_time_;
  std::vector<std::function<void()>> fixed_;
  double pending_adds_ = 0;

  std::vector<OpenReview> reviews_;
  std::vector<Measure> measures_;
  std::vector<std::int64_t> open_;

  std::int64_t records_ = 0;
  std::int64_t followups_ = 0;
  std::int64_t reviews_written_ = 0;
  std::int64_t entries_ = 0;
  std::int64_t escalations_ = 0;
  std::int64_t milestones_ = 0;
  std::string first_review_;
  std::string middle_review_;
  std::map<std::string, std::int64_t> operations_;
  std::map<std::string, std::int64_t> actors_;
  std::map<std::string, std::int64_t> review_records_;
};

}  // namespace

namespace {

std::optional<std::int64_t> parse_count(std::string_view text) {
  std::int64_t factor = 1;
  if (!text.empty() && (text.back() == 'k' || text.back() == 'K')) {
    factor = 1000;
    text.remove_suffix(1);
  } else if (!text.empty() && (text.back() == 'm' || text.back() == 'M')) {
    factor = 1000000;
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c == '_' || c == ',') continue;
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value * factor;
}

// Returns the options, or an exit code (0 for --help, 2 for a usage error).
std::variant<Options, int> parse_options(int argc, char** argv) {
  Options options;
  bool records_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "zielwerk-audit-generator: unknown option or missing value: " << arg << "\n"
                << kUsage;
      return 2;
    }
    const std::string value = argv[++i];
    if (arg == "--db") {
      options.db = value;
    } else if (arg == "--records") {
      const auto count = parse_count(value);
      if (!count) {
        std::cerr << "zielwerk-audit-generator: --records: not a count: " << value << "\n";
        return 2;
      }
      options.records = *count;
      records_given = true;
    } else if (arg == "--agreement") {
      options.agreement = value;
    } else if (arg == "--seed") {
      const auto seed = parse_count(value);
      if (!seed) {
        std::cerr << "zielwerk-audit-generator: --seed: not a number: " << value << "\n";
        return 2;
      }
      options.seed = static_cast<std::uint64_t>(*seed);
    } else if (arg == "--bytes-out") {
      options.bytes_out = value;
    } else if (arg == "--summary-json") {
      options.summary_json = value;
    } else if (arg == "--batch") {
      const auto batch = parse_count(value);
      if (!batch || *batch < 1 || *batch > 10000000) {
        std::cerr << "zielwerk-audit-generator: --batch: not a positive count: " << value << "\n";
        return 2;
      }
      options.batch = static_cast<int>(*batch);
    } else {
      std::cerr << "zielwerk-audit-generator: unknown option: " << arg << "\n" << kUsage;
      return 2;
    }
  }
  if (options.db.empty() || !records_given) {
    std::cerr << "zielwerk-audit-generator: --db and --records are required\n" << kUsage;
    return 2;
  }
  return options;
}

std::uintmax_t database_bytes(const std::filesystem::path& db) {
  std::uintmax_t total = 0;
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(db.string() + suffix, error);
    if (!error) total += size;
  }
  return total;
}

int run(const Options& options) {
  const bool existed = std::filesystem::exists(options.db);
  const auto began = steady_clock::now();
  auto opened = storage::Database::open(options.db);
  if (!opened) {
    std::cerr << "zielwerk-audit-generator: " << opened.error().message << "\n";
    return 1;
  }
  std::unique_ptr<storage::Database> owner = std::move(opened).value();
  storage::Database& database = *owner;
  if (existed) {
    // Only a database without a trail and without rows of the follow-up
    // process (e.g. one created with --records 0).
    const auto agreement = database.meta("agreement");
    if (storage::audit_head(database).seq != 0 || !storage::load_measures(database).empty() ||
        !storage::load_reviews(database).empty() ||
        (agreement && *agreement != options.agreement)) {
      std::cerr << "zielwerk-audit-generator: " << options.db.string()
                << " exists and is not an empty zielwerk database of the agreement '"
                << options.agreement << "'; give a new path\n";
      return 2;
    }
  }
  const zielwerk::Status claimed = database.write([&]() -> zielwerk::Status {
    // What engine::claim_database writes: the database belongs to this agreement.
    database.set_meta("agreement", options.agreement);
    return zielwerk::Ok{};
  });
  if (!claimed) {
    std::cerr << "zielwerk-audit-generator: " << claimed.error().message << "\n";
    return 1;
  }
  TrailGenerator generator(database, options);
  while (!generator.done()) {
    const zielwerk::Status written = database.write([&]() -> zielwerk::Status {
      for (int change = 0; change < options.batch && !generator.done(); ++change)
        generator.step();
      return zielwerk::Ok{};
    });
    if (!written) {
      std::cerr << "zielwerk-audit-generator: " << written.error().message << "\n";
      return 1;
    }
  }
  const double generate_seconds = duration<double>(steady_clock::now() - began).count();

  std::int64_t chain_bytes = 0;
  double bytes_seconds = 0;
  if (options.bytes_out) {
    const auto started = steady_clock::now();
    std::ofstream out(*options.bytes_out, std::ios::binary | std::ios::trunc);
    std::vector<char> buffer(1 << 20);
    out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) {
      std::cerr << "zielwerk-audit-generator: cannot write " << options.bytes_out->string() << "\n";
      return 1;
    }
    const zielwerk::Status read = database.read([&]() -> zielwerk::Status {
      storage::for_each_audit_record(database, [&](const storage::AuditRecord& record) {
        out.write(record.previous_hash.data(),
                  static_cast<std::streamsize>(record.previous_hash.size()));
        out.put('\n');
        out.write(record.payload.data(), static_cast<std::streamsize>(record.payload.size()));
        chain_bytes +=
            static_cast<std::int64_t>(record.previous_hash.size() + 1 + record.payload.size());
      });
      return zielwerk::Ok{};
    });
    out.close();
    if (!read) {
      std::cerr << "zielwerk-audit-generator: " << read.error().message << "\n";
      return 1;
    }
    if (!out) {
      std::cerr << "zielwerk-audit-generator: writing " << options.bytes_out->string()
                << " failed\n";
      return 1;
    }
    bytes_seconds = duration<double>(steady_clock::now() - started).count();
  }
  auto summary = generator.summary();
  owner.reset();  // closes the database, which checkpoints the WAL into it
  const std::uintmax_t db_bytes = database_bytes(options.db);
  const double seconds = duration<double>(steady_clock::now() - began).count();

  std::ostringstream line;
  line.setf(std::ios::fixed);
  line.precision(1);
  line << "zielwerk-audit-generator: " << with_commas(generator.records()) << " audit records in "
       << options.db.string() << ", " << static_cast<double>(db_bytes) / (1 << 20) << " MiB, "
       << generate_seconds << " s";
  if (options.bytes_out) {
    line << "; " << with_commas(chain_bytes) << " hashed bytes to " << options.bytes_out->string()
         << " in " << bytes_seconds << " s";
  }
  std::cout << line.str() << "\n";
  if (options.summary_json) {
    summary.str("db", options.db.string())
        .num("db_bytes", static_cast<std::int64_t>(db_bytes))
        .num("chain_bytes", chain_bytes)
        .str("agreement", options.agreement)
        .num("seed", static_cast<std::int64_t>(options.seed))
        .num("batch", options.batch)
        .raw("generate_seconds", std::to_string(generate_seconds))
        .raw("bytes_out_seconds", std::to_string(bytes_seconds))
        .raw("seconds", std::to_string(seconds));
    std::ofstream out(*options.summary_json, std::ios::trunc);
    out << summary.dump() << "\n";
    if (!out) {
      std::cerr << "zielwerk-audit-generator: cannot write " << options.summary_json->string()
                << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto parsed = parse_options(argc, argv);
    if (const int* code = std::get_if<int>(&parsed)) return *code;
    return run(std::get<Options>(parsed));
  } catch (const std::exception& error) {
    std::cerr << "zielwerk-audit-generator: " << error.what() << "\n";
    return 1;
  }
}
