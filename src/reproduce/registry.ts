// Every experiment by name: the λ paper's §5, then the curvature papers'. Adding one: a file in ./experiments and a line here.
import { EXPERIMENT_NAMES, type ExperimentName } from './paper.js';
import type { Experiment } from './types.js';
import { moonsProtocol } from './experiments/moons-protocol.js';
import { moonsLabels } from './experiments/moons-labels.js';
import { moonsClean } from './experiments/moons-clean.js';
import { moonsSweep } from './experiments/moons-sweep.js';
import { moonsDynamics } from './experiments/moons-dynamics.js';
import { moonsInit } from './experiments/moons-init.js';
import { mnistNoise } from './experiments/mnist-noise.js';
import { mnistCrr } from './experiments/mnist-crr.js';
import { mnistAblation } from './experiments/mnist-ablation.js';
import { mnistSam } from './experiments/mnist-sam.js';
import { pouplinAnalytic } from './experiments/pouplin-analytic.js';
import { curvatureGeometry } from './experiments/curvature-geometry.js';
import { pouplinPerturbation } from './experiments/pouplin-perturbation.js';
import { gegenfurtnerTheorem } from './experiments/gegenfurtner-theorem.js';
import { curvatureDynamics } from './experiments/curvature-dynamics.js';

const ALL: readonly Experiment[] = [moonsProtocol, moonsLabels, moonsClean, moonsSweep, moonsDynamics, moonsInit, mnistNoise, mnistCrr, mnistAblation, mnistSam, pouplinAnalytic, curvatureGeometry, pouplinPerturbation, gegenfurtnerTheorem, curvatureDynamics];

export const EXPERIMENTS: ReadonlyMap<ExperimentName, Experiment> = new Map(ALL.map((e) => [e.name, e]));

export function isExperimentName(name: string): name is ExperimentName {
  return (EXPERIMENT_NAMES as readonly string[]).includes(name);
}
