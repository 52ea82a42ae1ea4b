import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, sep } from 'node:path';

/**
 * What the runtime stage of docker/Dockerfile puts in the image, read from the Dockerfile itself
 * (never a second list): its WORKDIR, ENV, CMD and the files of every COPY, each mapped back to
 * where it comes from in this repository.
 */
export interface RuntimeStage {
  /** The base image of the runtime stage (`node:…`). */
  image: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  /** Every COPY of the stage: repository paths (relative) and where they land (relative to WORKDIR). */
  copies: { source: string; destination: string; fromStage: string | null }[];
}

const args = (instruction: Instruction) => instruction.getArguments().map((argument) => argument.getValue());

export function readRuntimeStage(dockerfilePath: string): RuntimeStage {
  const dockerfile = DockerfileParser.parse(readFileSync(dockerfilePath, 'utf8'));
  const froms = dockerfile.getFROMs();
  const last = froms[froms.length - 1];
  const stage = dockerfile.getContainingImage(last.getRange().start);
  if (!stage) throw new Error('the Dockerfile has no runtime stage');
  // The working directory of each build stage, so that `COPY --from=build /app/x` maps to `x`.
  const stageWorkdirs = new Map<string, string>();
  for (const from of froms) {
    const name = from.getBuildStage();
    const image = dockerfile.getContainingImage(from.getRange().start);
    const workdirs = (image?.getInstructions() ?? []).filter((i) => i.getKeyword() === 'WORKDIR');
    if (name) stageWorkdirs.set(name, workdirs.length ? args(workdirs[workdirs.length - 1]).join(' ') : '/');
  }
  const workdirs = stage.getInstructions().filter((i) => i.getKeyword() === 'WORKDIR');
  const workdir = workdirs.length ? args(workdirs[workdirs.length - 1]).join(' ') : '/';
  const env: Record<string, string> = {};
  for (const instruction of stage.getENVs()) {
    for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  const cmds = stage.getCMDs();
  const cmd = cmds.length ? JSON.parse(cmds[cmds.length - 1].getArgumentsContent() ?? '[]') : [];
  const copies: RuntimeStage['copies'] = [];
  for (const copy of stage.getCOPYs()) {
    const fromStage = copy.getFromFlag()?.getValue() ?? null;
    const values = copy
      .getArguments()
      .filter((argument) => !argument.getValue().startsWith('--'))
      .map((argument) => argument.getValue());
    const destination = values.pop()!;
    const base = fromStage ? (stageWorkdirs.get(fromStage) ?? '/') : '/';
    for (const source of values) {
      // A file built or copied into the build stage's WORKDIR is the same path in the repository.
      const relativeSource = posix.relative(base, posix.resolve(base, source)) || '.';
      const inWorkdir = posix.isAbsolute(destination)
        ? posix.relative(workdir, destination) || '.'
        : destination;
      copies.push({ source: relativeSource, destination: inWorkdir, fromStage });
    }
  }
  return { image: last.getImage() ?? '', workdir, env, cmd: Array.isArray(cmd) ? cmd : [], copies };
}

/**
 * The packages `npm ci --omit=dev` (or `npm prune --omit=dev`) leaves: the top-level directory of
 * every production dependency, as npm itself resolves them from the lockfile.
 */
export function productionPackages(root: string): string[] {
  const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((path) => relative(root, path).split(sep).join('/'))
    .filter(
      (path) =>
        path.startsWith('node_modules/') && !path.slice('node_modules/'.length).includes('/node_modules/'),
    );
}

/**
 * Lays the image's files out under `target` as the runtime stage would: every COPY, with
 * `node_modules` holding the production dependencies only (hard links, so it is quick). `dist`
 * must have been built (the build stage's `node scripts/build.js`).
 */
export function assembleImage(root: string, stage: RuntimeStage, target: string): string[] {
  const placed: string[] = [];
  for (const { source, destination } of stage.copies) {
    const from = join(root, source);
    if (!existsSync(from)) throw new Error(`the Dockerfile copies ${source}, which does not exist`);
    // Docker's rules: a directory's contents go into the destination; a file goes into a
    // destination ending in / (or .) under its own name, else becomes the destination.
    const into = join(target, destination);
    const to =
      statSync(from).isDirectory() || !/(^|\/)\.?\/?$/.test(destination)
        ? into
        : join(into, basename(source));
    if (source === 'node_modules') {
      for (const pkg of productionPackages(root)) {
        const dest = join(to, pkg.slice('node_modules/'.length));
        mkdirSync(dirname(dest), { recursive: true });
        const linked = spawnSync('cp', ['-al', join(root, pkg), dest]);
        if (linked.status !== 0) cpSync(join(root, pkg), dest, { recursive: true });
      }
    } else {
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
    placed.push(source);
  }
  return placed;
}
