// The permission policy on the example's actors: roles (union), the side a
// party's carrier acts on, workflow participation, and unknown subjects.
#include "zielwerk/engine/permissions.h"

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <stdexcept>

#include "example_project.h"
#include "test_support.h"

namespace zielwerk::engine {

// Readable failures: actions print as their words.
void PrintTo(Action action, std::ostream* out) {
  *out << to_string(action);
}

namespace {

using zielwerk::testing::example;

using rules::Role;
using zielwerk::testing::lines;
using zielwerk::testing::source_dir;

constexpr const char* kBa = "ba-zielnachhaltedialog";
constexpr const char* kKommunal = "kommunal-zielnachhaltedialog";
constexpr const char* kBaGoal = "iq-frauen";
constexpr const char* kKommunalGoal = "kdu-kostensenkung";
constexpr const char* kMilestoneGoal = "but-lernfoerderung";  // kommunal

const std::vector<Action> kAll = {
    Action::import_figures, Action::run_workflows, Action::record_milestone, Action::record_minutes,
    Action::close_review,   Action::add_measure,   Action::update_measure};

const rules::Actor& actor(const char* id) {
  const auto* found = example().config.find_actor(id);
  if (found == nullptr) throw std::runtime_error(std::string("no actor ") + id);
  return *found;
}

using zielwerk::testing::contains;

// A subject that passes side and participation for the actor's party, so only
// the roles decide: kommunal goals for the kreis, BA goals otherwise.
Subject own_subject(const rules::Actor& a, Action action) {
  const bool kreis = a.party == "kreis";
  Subject subject;
  if (action == Action::record_milestone) subject.goal = kMilestoneGoal;
  if (action == Action::record_minutes || action == Action::close_review ||
      action == Action::add_measure || action == Action::update_measure) {
    subject.workflow = kreis ? kKommunal : kBa;
  }
  if (action == Action::add_measure || action == Action::update_measure ||
      action == Action::record_minutes) {
    subject.goal = kreis ? kKommunalGoal : kBaGoal;
  }
  return subject;
}

// The actions `a` may perform on subjects of its own side and dialogue.
std::set<Action> allowed(const rules::Actor& a) {
  std::set<Action> result;
  for (const auto action : kAll) {
    if (action == Action::record_milestone && a.party == "agentur") {
      // The example's milestones are all kommunal goals; check the roles on a BA goal.
      if (!refusal(example(), a, action, {kBaGoal, ""})) result.insert(action);
      continue;
    }
    if (!refusal(example(), a, action, own_subject(a, action))) result.insert(action);
  }
  return result;
}

const std::set<Action> kEverything(kAll.begin(), kAll.end());
const std::set<Action> kReviewerActions = {Action::record_milestone, Action::record_minutes,
                                           Action::close_review, Action::add_measure,
                                           Action::update_measure};

TEST(PermissionRoles, ActionsOfEachRole) {
  EXPECT_EQ(actions_of(Role::coordinator), kAll);
  EXPECT_EQ(actions_of(Role::reviewer),
            std::vector<Action>(kReviewerActions.begin(), kReviewerActions.end()));
  EXPECT_EQ(actions_of(Role::system),
            (std::vector<Action>{Action::import_figures, Action::run_workflows}));
  EXPECT_TRUE(actions_of(Role::auditor).empty());
}

TEST(PermissionRoles, ActionWords) {
  EXPECT_EQ(to_string(Action::import_figures), "import figures");
  EXPECT_EQ(to_string(Action::run_workflows), "run workflows");
  EXPECT_EQ(to_string(Action::record_milestone), "record a milestone");
  EXPECT_EQ(to_string(Action::record_minutes), "record review minutes");
  EXPECT_EQ(to_string(Action::close_review), "close a review");
  EXPECT_EQ(to_string(Action::add_measure), "add a measure");
  EXPECT_EQ(to_string(Action::update_measure), "update a measure");
}

TEST(PermissionRoles, ExampleActorsOnTheirOwnSide) {
  EXPECT_EQ(allowed(actor("controlling-jc")), kEverything);
  EXPECT_EQ(allowed(actor("gf-jobcenter")), kReviewerActions);
  EXPECT_EQ(allowed(actor("traegercontrolling-agentur")), kEverything);
  EXPECT_EQ(allowed(actor("vg-agentur")), kReviewerActions);
  EXPECT_EQ(allowed(actor("sozialamt-kreis")), kEverything);
  EXPECT_EQ(allowed(actor("regionaldirektion")), std::set<Action>{});
  EXPECT_EQ(allowed(actor("zielwerk-dienst")),
            (std::set<Action>{Action::import_figures, Action::run_workflows}));
}

TEST(PermissionRoles, ReviewerMayNotImportOrRun) {
  const auto reason = refusal(example(), actor("gf-jobcenter"), Action::import_figures, {});
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "actor 'gf-jobcenter' (party jobcenter, role reviewer) may not import figures: that "
            "needs the role coordinator or system");
  EXPECT_TRUE(refusal(example(), actor("vg-agentur"), Action::run_workflows, {}));
}

TEST(PermissionRoles, AuditorIsRefusedEverything) {
  const auto& auditor = actor("regionaldirektion");
  for (const auto action : kAll) {
    for (const Subject& subject :
         {Subject{}, Subject{kBaGoal, kBa}, Subject{kMilestoneGoal, ""}, Subject{"", kBa}}) {
      const auto reason = refusal(example(), auditor, action, subject);
      ASSERT_TRUE(reason) << to_string(action);
      EXPECT_TRUE(contains(*reason,
                           "actor 'regionaldirektion' (party agentur, role auditor) "
                           "may not " +
                               to_string(action) + ": that needs the role "))
          << *reason;
    }
  }
  EXPECT_EQ(*refusal(example(), auditor, Action::close_review, {"", kBa}),
            "actor 'regionaldirektion' (party agentur, role auditor) may not close a review: "
            "that needs the role coordinator or reviewer");
}

TEST(PermissionRoles, SystemOnlyImportsAndRuns) {
  const auto& service = actor("zielwerk-dienst");
  EXPECT_FALSE(refusal(example(), service, Action::import_figures, {}));
  EXPECT_FALSE(refusal(example(), service, Action::run_workflows, {}));
  // import and run ignore goal and workflow, even ids that do not exist.
  EXPECT_FALSE(refusal(example(), service, Action::import_figures, {"no-such-goal", "nope"}));
  EXPECT_FALSE(refusal(example(), service, Action::run_workflows, {kBaGoal, kKommunal}));
  const auto reason = refusal(example(), service, Action::add_measure, {kBaGoal, kBa});
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "actor 'zielwerk-dienst' (party jobcenter, role system) may not add a measure: that "
            "needs the role coordinator or reviewer");
  EXPECT_TRUE(refusal(example(), service, Action::record_milestone, {kMilestoneGoal, ""}));
  EXPECT_TRUE(refusal(example(), service, Action::close_review, {"", kBa}));
}

TEST(PermissionRoles, UnionOfRoles) {
  Project project = example();
  rules::Actor both;
  both.id = "controlling-auditor";
  both.name = "Controlling with audit duties";
  both.party = "jobcenter";
  both.roles = {Role::auditor, Role::coordinator};
  project.config.actors.push_back(both);
  const auto& added = *project.config.find_actor("controlling-auditor");
  for (const auto action : kAll) {
    EXPECT_FALSE(refusal(project, added, action, {kBaGoal, kBa})) << to_string(action);
  }
  EXPECT_FALSE(refusal(project, added, Action::add_measure, {kKommunalGoal, kKommunal}));

  // Only an auditor: refused, naming the roles that would grant it.
  rules::Actor auditor = both;
  auditor.roles = {Role::auditor};
  EXPECT_EQ(*refusal(project, auditor, Action::run_workflows, {}),
            "actor 'controlling-auditor' (party jobcenter, role auditor) may not run workflows: "
            "that needs the role coordinator or system");
  // Reviewer plus system covers what each grants.
  rules::Actor mixed = both;
  mixed.roles = {Role::reviewer, Role::system};
  for (const auto action : kAll) {
    EXPECT_FALSE(refusal(project, mixed, action, {kBaGoal, kBa})) << to_string(action);
  }
  rules::Actor none = both;
  none.roles = {};
  EXPECT_EQ(*refusal(project, none, Action::import_figures, {}),
            "actor 'controlling-auditor' (party jobcenter, no role) may not import figures: that "
            "needs the role coordinator or system");
}

TEST(PermissionSides, BaGoalIsForAgenturAndJobcenter) {
  for (const auto action : {Action::record_milestone, Action::record_minutes, Action::add_measure,
                            Action::update_measure}) {
    EXPECT_FALSE(refusal(example(), actor("traegercontrolling-agentur"), action, {kBaGoal, ""}));
    EXPECT_FALSE(refusal(example(), actor("controlling-jc"), action, {kBaGoal, ""}));
    EXPECT_FALSE(refusal(example(), actor("gf-jobcenter"), action, {kBaGoal, ""}));
    EXPECT_TRUE(refusal(example(), actor("sozialamt-kreis"), action, {kBaGoal, ""}));
  }
  const auto reason =
      refusal(example(), actor("sozialamt-kreis"), Action::add_measure, {kBaGoal, kKommunal});
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "actor 'sozialamt-kreis' (party kreis, kommunal side) may not add a measure for goal "
            "'iq-frauen': it is a BA goal, recorded by the BA side (agentur) or the jobcenter "
            "(gE)");
}

TEST(PermissionSides, KommunalGoalIsForKreisAndJobcenter) {
  for (const auto action : {Action::record_milestone, Action::record_minutes, Action::add_measure,
                            Action::update_measure}) {
    EXPECT_FALSE(refusal(example(), actor("sozialamt-kreis"), action, {kKommunalGoal, ""}));
    EXPECT_FALSE(refusal(example(), actor("controlling-jc"), action, {kKommunalGoal, ""}));
    EXPECT_FALSE(refusal(example(), actor("gf-jobcenter"), action, {kKommunalGoal, ""}));
    EXPECT_TRUE(
        refusal(example(), actor("traegercontrolling-agentur"), action, {kKommunalGoal, ""}));
    EXPECT_TRUE(refusal(example(), actor("vg-agentur"), action, {kKommunalGoal, ""}));
  }
  const auto reason =
      refusal(example(), actor("vg-agentur"), Action::record_milestone, {kMilestoneGoal, ""});
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "actor 'vg-agentur' (party agentur, BA side) may not record a milestone for goal "
            "'but-lernfoerderung': it is a kommunal goal, recorded by the kommunal side (kreis) "
            "or the jobcenter (gE)");
}

TEST(PermissionSides, GoalIgnoredWhereTheRuleDoesNotApply) {
  // close_review uses no goal; import and run use none either.
  EXPECT_FALSE(
      refusal(example(), actor("sozialamt-kreis"), Action::close_review, {kBaGoal, kKommunal}));
  EXPECT_FALSE(refusal(example(), actor("traegercontrolling-agentur"), Action::import_figures,
                       {kKommunalGoal, ""}));
  // Minutes for the whole review have no goal: only participation counts.
  EXPECT_FALSE(refusal(example(), actor("vg-agentur"), Action::record_minutes, {"", kBa}));
}

TEST(PermissionParticipation, KreisIsNotInTheBaDialogue) {
  const auto& kreis = actor("sozialamt-kreis");
  for (const auto action : {Action::record_minutes, Action::close_review, Action::add_measure,
                            Action::update_measure}) {
    const auto reason = refusal(example(), kreis, action, {"", kBa});
    ASSERT_TRUE(reason) << to_string(action);
    EXPECT_EQ(*reason, "actor 'sozialamt-kreis' (party kreis) may not " + to_string(action) +
                           " in workflow 'ba-zielnachhaltedialog': only its participants "
                           "agentur and jobcenter act in it");
    EXPECT_FALSE(refusal(example(), kreis, action, {"", kKommunal})) << to_string(action);
  }
}

TEST(PermissionParticipation, AgenturIsNotInTheKommunalDialogue) {
  for (const char* id : {"traegercontrolling-agentur", "vg-agentur"}) {
    for (const auto action : {Action::record_minutes, Action::close_review, Action::add_measure,
                              Action::update_measure}) {
      const auto reason = refusal(example(), actor(id), action, {"", kKommunal});
      ASSERT_TRUE(reason) << id << " " << to_string(action);
      EXPECT_TRUE(contains(*reason, "actor '" + std::string(id) + "' (party agentur)")) << *reason;
      EXPECT_TRUE(contains(*reason, "only its participants kreis and jobcenter act in it"))
          << *reason;
      EXPECT_FALSE(refusal(example(), actor(id), action, {"", kBa}));
    }
  }
}

TEST(PermissionParticipation, JobcenterTakesPartInBoth) {
  for (const char* id : {"controlling-jc", "gf-jobcenter"}) {
    for (const auto action : {Action::record_minutes, Action::close_review, Action::add_measure,
                              Action::update_measure}) {
      EXPECT_FALSE(refusal(example(), actor(id), action, {"", kBa}));
      EXPECT_FALSE(refusal(example(), actor(id), action, {"", kKommunal}));
      EXPECT_FALSE(refusal(example(), actor(id), action, {kBaGoal, kBa}));
      EXPECT_FALSE(refusal(example(), actor(id), action, {kKommunalGoal, kKommunal}));
    }
  }
}

TEST(PermissionParticipation, SideIsCheckedBeforeParticipation) {
  // The kreis on a BA goal in the BA dialogue: both rules fail, the side is named.
  const auto reason =
      refusal(example(), actor("sozialamt-kreis"), Action::update_measure, {kBaGoal, kBa});
  ASSERT_TRUE(reason);
  EXPECT_TRUE(contains(*reason, "it is a BA goal")) << *reason;
  // Workflow participation is not checked for milestones.
  EXPECT_FALSE(refusal(example(), actor("sozialamt-kreis"), Action::record_milestone,
                       {kMilestoneGoal, kBa}));
}

TEST(PermissionSubject, UnknownGoalOrWorkflowIsRefused) {
  const auto& coordinator = actor("controlling-jc");
  const auto goal = refusal(example(), coordinator, Action::add_measure, {"iq-frau", kBa});
  ASSERT_TRUE(goal);
  EXPECT_EQ(*goal,
            "actor 'controlling-jc' may not add a measure for goal 'iq-frau': the project has no "
            "goal 'iq-frau' (did you mean 'iq-frauen'?) (an error of the caller)");
  const auto workflow =
      refusal(example(), coordinator, Action::close_review, {"", "ba-zielnachhaltedialg"});
  ASSERT_TRUE(workflow);
  EXPECT_EQ(*workflow,
            "actor 'controlling-jc' may not close a review in workflow 'ba-zielnachhaltedialg': "
            "the project has no workflow 'ba-zielnachhaltedialg' (did you mean "
            "'ba-zielnachhaltedialog'?) (an error of the caller)");
  EXPECT_TRUE(refusal(example(), coordinator, Action::record_milestone, {"nothing", ""}));
}

TEST(PermissionSubject, UnknownPartyIsRefusedWhereItMatters) {
  rules::Actor stranger;
  stranger.id = "fremd";
  stranger.party = "nowhere";
  stranger.roles = {Role::coordinator};
  EXPECT_FALSE(refusal(example(), stranger, Action::import_figures, {}));
  const auto side = refusal(example(), stranger, Action::add_measure, {kBaGoal, kBa});
  ASSERT_TRUE(side);
  EXPECT_EQ(*side,
            "actor 'fremd' (party nowhere) may not add a measure for goal 'iq-frauen': 'nowhere' "
            "is not a party of the agreement, so it has no side");
  const auto participation = refusal(example(), stranger, Action::close_review, {"", kBa});
  ASSERT_TRUE(participation);
  EXPECT_TRUE(contains(*participation, "only its participants agentur and jobcenter"))
      << *participation;
}

}  // namespace
}  // namespace zielwerk::engine

namespace zielwerk::engine {
namespace {

// The second example: a zkT agreement (Land ministry and zkT, no BA party),
// encoded in its files only. docs/permissions.md has this table.
TEST(ZktPermissionsTest, TheExampleTableOfHohenwald) {
  const Project project =
      zielwerk::testing::load_project_or_fail(source_dir() / "examples/hohenwald-2026");
  const auto who = [&](const char* id) -> const rules::Actor& {
    const auto* found = project.config.find_actor(id);
    if (found == nullptr) throw std::runtime_error(std::string("no actor ") + id);
    return *found;
  };
  const auto may = [&](const char* id, Action action, Subject subject) {
    return !refusal(project, who(id), action, subject).has_value();
  };
  const Subject goal_work{"integrationen", ""};
  const Subject controlling_measure{"integrationen", "controlling"};
  const Subject dialogue_measure{"integrationen", "landesdialog"};
  const Subject closing_controlling{"", "controlling"};
  const Subject closing_dialogue{"", "landesdialog"};

  for (const char* jobcenter : {"controlling-kjc", "leitung-kjc"}) {
    EXPECT_TRUE(may(jobcenter, Action::record_milestone, {"uebergang-schule-beruf", ""}));
    EXPECT_TRUE(may(jobcenter, Action::add_measure, controlling_measure)) << jobcenter;
    EXPECT_TRUE(may(jobcenter, Action::add_measure, dialogue_measure)) << jobcenter;
    EXPECT_TRUE(may(jobcenter, Action::close_review, closing_controlling)) << jobcenter;
    EXPECT_TRUE(may(jobcenter, Action::close_review, closing_dialogue)) << jobcenter;
  }
  EXPECT_TRUE(may("controlling-kjc", Action::import_figures, {}));
  EXPECT_FALSE(may("leitung-kjc", Action::import_figures, {}));
  EXPECT_TRUE(may("kjc-dienst", Action::run_workflows, {}));
  EXPECT_FALSE(may("kjc-dienst", Action::record_minutes, closing_controlling));

  // The ministry supervises: minutes and closing in the dialogue it takes part
  // in, no goal work (it acts on no zkT goal), nothing in the internal round.
  EXPECT_TRUE(may("referat-ministerium", Action::record_minutes, closing_dialogue));
  EXPECT_TRUE(may("referat-ministerium", Action::close_review, closing_dialogue));
  EXPECT_FALSE(may("referat-ministerium", Action::record_milestone, goal_work));
  const auto side =
      refusal(project, who("referat-ministerium"), Action::add_measure, dialogue_measure);
  ASSERT_TRUE(side.has_value());
  EXPECT_EQ(*side,
            "actor 'referat-ministerium' (party ministerium, Land side) may not add a measure for "
            "goal 'integrationen': it is a zkT goal, recorded by the zkT side (jobcenter)");
  const auto participation =
      refusal(project, who("referat-ministerium"), Action::close_review, closing_controlling);
  ASSERT_TRUE(participation.has_value());
  EXPECT_TRUE(contains(*participation, "only its participant jobcenter acts in it"))
      << *participation;
}

// A ministry that declares acts_on: [zkT] may record measures for the zkT's
// goals; the policy follows what the agreement declares, not the carrier.
TEST(ZktPermissionsTest, ActsOnReplacesTheCarriersSides) {
  Project project =
      zielwerk::testing::load_project_or_fail(source_dir() / "examples/hohenwald-2026");
  for (auto& party : project.rules.agreement.parties)
    if (party.id == "ministerium") party.acts_on = {"zkT"};
  const auto* reviewer = project.config.find_actor("referat-ministerium");
  ASSERT_NE(reviewer, nullptr);
  EXPECT_FALSE(refusal(project, *reviewer, Action::add_measure, {"integrationen", "landesdialog"}));
  EXPECT_TRUE(refusal(project, *reviewer, Action::add_measure, {"integrationen", "controlling"}));
}

}  // namespace
}  // namespace zielwerk::engine
