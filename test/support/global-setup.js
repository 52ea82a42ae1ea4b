// End-to-end suites start the real processes from dist/, so compile once before they run.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build.js')], { stdio: 'inherit' });
};
