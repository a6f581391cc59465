// The flow as a CommonJS program on Node: the packages come from require(), so from their
// .cjs builds; the flow itself is the same ES module the other runtimes run.
const core = require('@auth/core');
const fetchAdapter = require('@auth/fetch');
const oauth = require('@auth/oauth');

const builds = ['@auth/core', '@auth/oauth', '@auth/fetch'].map((name) => require.resolve(name));
import('./flow.mjs')
  .then(({ runFlow }) => runFlow({ core, oauth, fetch: fetchAdapter }, JSON.parse(process.argv[2])))
  .then((result) => console.log(JSON.stringify({ ...result, format: 'cjs', builds })))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
