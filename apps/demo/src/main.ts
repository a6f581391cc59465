import { type DemoEnvironment, startEnvironment } from './environment.js';
import { Narrator } from './narrator.js';
import { clientCredentialsWithCaching, serviceClient } from './scenes/client-credentials.js';
import { refreshAhead } from './scenes/refresh-ahead.js';
import { revokedTokenRecovery } from './scenes/revoked-token.js';
import type { SceneOutcome } from './scenes/scene.js';
import { staticCredentials } from './scenes/static-credentials.js';
import { twoStepPipeline } from './scenes/two-step-pipeline.js';

/** Runs every scene against a fresh loopback environment; exits 1 if one did not show what it should. */
async function main(): Promise<number> {
  const narrator = new Narrator();
  let env: DemoEnvironment | undefined;
  try {
    env = await startEnvironment();
    narrator.title('auth demo: credentials for HTTP clients, fetched, cached, shared and renewed');
    narrator.say(`OpenID provider  ${env.provider.issuer}  (oidc-provider, in this process)`);
    narrator.say(`protected API    ${env.api.url}`);
    narrator.say(`login service    ${env.sessions.url}`);

    const context = { env, narrator };
    const service = serviceClient(context);
    const outcomes: SceneOutcome[] = [];
    outcomes.push(await clientCredentialsWithCaching(context, service));
    outcomes.push(await refreshAhead(context));
    outcomes.push(await revokedTokenRecovery(context, service));
    outcomes.push(await staticCredentials(context));
    outcomes.push(await twoStepPipeline(context));
    await service.manager.close();

    const failed = outcomes.filter((outcome) => !outcome.ok).length;
    narrator.title(
      `\ndone in ${narrator.elapsed()}: ${env.provider.tokenRequests.length} token requests in all; tokens were shown only as fingerprints`,
    );
    if (failed > 0) narrator.title(`${failed} scene(s) did not behave as described above`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    narrator.title(`\nthe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await env?.close();
  }
}

process.exitCode = await main();
