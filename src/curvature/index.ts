// Parameter-space curvature of a loss (issue 13): float64 host numerics against an abstract
// symmetric operator (Hessian-vector products), README "Parameter-space curvature".
export { CountingOperator, DenseOperator, applyOne, blocksOf, byBlock, checkBlocks, restrictToBlock, type ParameterBlock, type SymmetricOperator } from './operator.js';
export { jackknifeStdErr, squaredMeanU, type Estimate } from './estimate.js';
export { hutchinson, type BlockTrace, type HutchinsonOptions, type HutchinsonResult, type ProbeSamples } from './hutchinson.js';
export { hutchPlusPlus, type HutchPlusPlusOptions, type HutchPlusPlusResult } from './hutchpp.js';
export { lanczos, LanczosRun, type LanczosOptions, type LanczosResult, type RitzValue } from './lanczos.js';
export { spectralDensity, type QuadratureRule, type SpectralDensity, type SpectralDensityOptions } from './slq.js';
export {
  estimateScalarCurvature, gradientTerms, scalarCurvatureByBlock, scalarCurvatureDense, scalarCurvatureFrom,
  type GradientTerms, type ScalarCurvatureEstimate, type ScalarCurvatureOptions,
} from './scalar-curvature.js';
export { denseHessian, exactCurvature, type DenseHessian, type ExactCurvature } from './dense-hessian.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
export { tridiagonalEigen, type TridiagonalEigen } from './tridiagonal.js';
export { matrixRank, singularValues, type RankResult } from './svd.js';
export { batchFunctionalRank, functionalRank, hiddenUnits, mlpFunctionalRank, reluMlpHiddenUnits, reluRankBound, type FunctionalRank } from './functional-dimension.js';
export { checkTheorem41, theoremTable, type InequalityCheck, type TheoremCheck, type TheoremInput } from './interpolation-bound.js';
export { singularValuePlot, spectralDensityPlot } from './plot.js';
export { mlpLoss, type MlpLoss } from './mlp64.js';
export { checkOperator, type OperatorCheck } from './checks.js';
export { GpuHessian, type HessianLoss, type HessianPass, type HessianTargets } from './gpu-hessian.js';
export { graphCurvature, type GraphCurvature } from './graph-surface.js';
export { parameterLambda, type DirectionLambda, type ParameterLambda, type ParameterLambdaOptions } from './parameter-lambda.js';
