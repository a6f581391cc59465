/**
 * One process of the overhead scenario: measures the contenders named in `argv[2]`
 * (comma-separated ids) with the {@link SampleOptions} in `argv[3]` (JSON), sends the
 * {@link OverheadSample} to the parent and exits.
 */
import { contenderById } from '../contenders/index.js';
import { type SampleOptions, sampleOverhead } from './overhead-sample.js';

const [ids = '', optionsJson = '{}'] = process.argv.slice(2);
const contenders = ids.split(',').filter(Boolean).map(contenderById);
const sample = await sampleOverhead(contenders, JSON.parse(optionsJson) as SampleOptions);
process.send?.(sample, () => process.exit(0));
