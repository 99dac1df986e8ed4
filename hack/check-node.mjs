// The project pins Node 24 itself (devDependency "node"), which npm puts first on PATH for every
// `npm run`. Fail early, and say so, if a script is ever run on another major.
const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.error(
    `mesos-operator needs Node 24 (found ${process.version}). Run it through npm (npm run/npm test), which uses the pinned node@24.`,
  );
  process.exit(1);
}
console.error(`node ${process.version}`);
