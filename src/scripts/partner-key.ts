// npm run partner-key -- issue <clinic id> <name> <cost budget>   prints a new key once
import 'reflect-metadata'; // before type-graphql's decorators run (the imports below load them)
// npm run partner-key -- revoke <key id>
// Clinic ids are the graph's ids (`clinics { id }`). Keys are stored hashed: a lost key is revoked
// and a new one issued.
import { parseGlobalId } from '../graphql/global-id.js';
import { PartnerKeysRepository, PartnerKeysService } from '../modules/partners/index.js';
import { runWithStores } from './run-with-stores.js';

const USAGE = 'usage: npm run partner-key -- issue <clinic id> <name> <cost budget>\n       npm run partner-key -- revoke <key id>';
const [command, ...args] = process.argv.slice(2);

await runWithStores(async (stores) => {
  const keys = new PartnerKeysService(new PartnerKeysRepository(stores.database.prisma));
  if (command === 'issue' && args.length === 3) {
    const clinic = parseGlobalId(args[0]);
    const costBudget = Number(args[2]);
    if (clinic?.type !== 'Clinic' || !Number.isInteger(costBudget) || costBudget <= 0) throw new Error(USAGE);
    const { keyId, key } = await keys.issue({ clinicId: clinic.id, name: args[1], costBudget });
    console.log(`key id ${keyId}\nkey    ${key}\nSend it as the x-api-key header. It is shown only now.`);
  } else if (command === 'revoke' && args.length === 1) {
    console.log((await keys.revoke(args[0])) ? 'revoked' : 'no active key has that id');
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
});
