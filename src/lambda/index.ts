// The curvature rate λ in its two conventions (README, "The curvature rate λ"):
// `raw` (slope of log‖Dⁿf‖, the paper's estimator for networks) and `taylor` (radius of convergence).
export { estimateRadius, type RadiusEstimate, type RadiusOptions } from './taylor.js';
export {
  DEFAULT_ORDERS, RAW_METHODS, checkOrderRange, logFactorial, logRawDerivatives, parseOrderRange, rawLambda,
  type OrderRange, type RawEstimate, type RawMethod,
} from './raw.js';
export { directionRule, gaussHermite, type DirectionRule, type DirectionSpec } from './directions.js';
export { loadDirections, parseDirections } from './direction-file.js';
export {
  LAMBDA_ESTIMATORS, PAPER_BAND, PAPER_BAND_FALLBACK, defaultDirectionCount, paperAggregate, ratioAggregate, rowRatioLambda,
  type LambdaEstimator, type PaperAggregate, type RatioAggregate, type RatioVariant,
} from './estimators.js';
export {
  networkLambda, predictions, QUANTITIES, type NetworkLambda, type Predictions, type NetworkLambdaOptions, type PointLambda, type PointSelection, type Quantity,
} from './network.js';
export { bandLimitedLogNorms, bandLimitedSignal, estimateCutoff, type BandLimitedSignal, type CutoffEstimate } from './bandlimited.js';
export { runAnalyticSuite, type Suite, type SuiteRow } from './analytic.js';
export { lambdaFigure, radiusFigure } from './figures.js';
export { svgPlot, type PlotSeries, type PlotSpec } from '../plot/svg.js';
export { spread, type Spread } from './stats.js';
export {
  lambdaMap, MAX_CHUNK_BYTES, MAX_MAP_SIDE, type LambdaMap, type LambdaMapGrid, type LambdaMapOptions, type MapQuantity,
} from './lambda-map.js';
