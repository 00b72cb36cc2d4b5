// Writes tests/workflows/holidays_reference.txt, the table the holiday tests
// check zielwerk's calendar against, from an outside source: the npm package
// date-holidays (https://github.com/commenthol/date-holidays, version 3.37.0,
// data from the Länder's holiday laws). Not run by the tests; run it to
// rebuild the table:
//   npm install date-holidays@3.37.0 && node tests/workflows/make_holidays_reference.js
// One line per public holiday: `CALENDAR DATE`, where CALENDAR is the ISO
// 3166-2 code of the Land, with `+option` for zielwerk's regional opt-ins and
// the date-holidays region they stand for.
const Holidays = require('date-holidays');

const calendars = [
  ['DE-BW'], ['DE-BY'], ['DE-BY+mariae-himmelfahrt', 'KATH'],
  ['DE-BY+mariae-himmelfahrt+augsburger-friedensfest', 'A'],
  ['DE-BE'], ['DE-BB'], ['DE-HB'], ['DE-HH'],
  ['DE-HE'], ['DE-MV'], ['DE-NI'], ['DE-NW'], ['DE-RP'], ['DE-SL'], ['DE-SN'],
  ['DE-SN+fronleichnam', 'BZ'], ['DE-ST'], ['DE-SH'], ['DE-TH'], ['DE-TH+fronleichnam', 'EIC'],
];
const lines = [];
for (const [calendar, region] of calendars) {
  const state = calendar.slice(3, 5);
  const hd = region ? new Holidays('DE', state, region) : new Holidays('DE', state);
  for (let year = 2017; year <= 2030; ++year) {
    for (const holiday of hd.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      lines.push(`${calendar} ${holiday.date.slice(0, 10)}`);
    }
  }
}
require('fs').writeFileSync(__dirname + '/holidays_reference.txt',
                            '# from date-holidays 3.37.0 (make_holidays_reference.js)\n' +
                                lines.join('\n') + '\n');
