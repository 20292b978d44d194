/** The `relationship-evaluator` command (package.json `bin`). */
import { main } from './cli.js';

declare const __PACKAGE_VERSION__: string;

process.exitCode = await main(process.argv.slice(2), `@meshery/relationship-evaluator ${__PACKAGE_VERSION__}`);
