// The signed-in user as `viewer`: from the session this request loaded, with their name and doctor
// profile loaded (once per request) only when asked for.
import type { Principal } from '../../auth/principal.js';
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import type { Viewer, ViewerDetails } from './accounts.types.js';
import { detailsOf, toViewer, type SignedInUsers } from './signed-in-user.js';

export class ViewerService {
  constructor(private readonly signedInUsers: SignedInUsers) {}

  async of(principal: Principal): Promise<Viewer> {
    const user = await this.signedInUsers.of(principal);
    if (!user) throw new UnauthenticatedError();
    return toViewer(user);
  }

  async details(context: RequestContext, viewer: Viewer): Promise<ViewerDetails> {
    if (viewer.details) return viewer.details;
    const user = await context.loaders.accountById.load(viewer.dbId);
    if (!user) throw new UnauthenticatedError();
    return detailsOf(user);
  }
}
