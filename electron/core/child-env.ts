/**
 * The environment a child process (ffmpeg, ffprobe, the platform opener) is started with:
 * the parent's, minus every credential (issue 16.7). The headless key variables of
 * electron/core/secrets/resolve.ts (`SHOTLINE_ACCESS_KEY`, `SHOTLINE_SECRET_KEY`,
 * `SHOTLINE_API_KEY`) and anything named like a key, secret, token or password are removed,
 * so no child, and nothing a hostile input makes it run, can read them.
 */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|^KLING_/i;

/** Names a child never sees; exported for the test that checks a real child's environment. */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isSecretEnvName(k)) out[k] = v;
  return out;
}
