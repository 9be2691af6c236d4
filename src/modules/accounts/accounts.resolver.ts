import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { Clinic, loadClinics } from '../clinics/index.js';
import { AuthPayload, CreateStaffAccountInput, RegisterInput, StaffAccount, Viewer } from './accounts.types.js';

function signedIn(context: RequestContext) {
  if (!context.principal) throw new UnauthenticatedError();
  return context.principal;
}

@Resolver(() => Viewer)
export class AccountsResolver {
  @Query(() => Viewer, { description: 'The signed-in user.' })
  viewer(@Ctx() context: RequestContext): Promise<Viewer> {
    return context.services.viewer.of(signedIn(context));
  }

  @FieldResolver(() => [Clinic], { description: 'Clinics the user works in.' })
  clinics(@Root() viewer: Viewer, @Ctx() context: RequestContext): Promise<Clinic[]> {
    return loadClinics(context.loaders.clinicById, viewer.clinicIds);
  }

  @Mutation(() => Boolean, { description: 'Patient self-registration; a verification email follows. Always true.' })
  register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.registration.register(input, context.client, context.patients);
  }

  @Mutation(() => Boolean)
  verifyEmail(@Arg('token') token: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.verification.verifyEmail(token, context.audit);
  }

  @Mutation(() => Boolean, { description: 'Sends a new verification email to the signed-in user.' })
  requestEmailVerification(@Ctx() context: RequestContext): Promise<boolean> {
    return context.services.verification.requestEmailVerification(signedIn(context));
  }

  @Mutation(() => Boolean, { description: "Sends a 6-digit code by SMS to the signed-in user's phone." })
  requestPhoneVerification(@Ctx() context: RequestContext): Promise<boolean> {
    return context.services.verification.requestPhoneVerification(signedIn(context));
  }

  @Mutation(() => Boolean)
  verifyPhone(@Arg('code') code: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.verification.verifyPhone(signedIn(context), code, context.audit);
  }

  @Mutation(() => AuthPayload)
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() context: RequestContext): Promise<AuthPayload> {
    return context.services.signIn.login(email, password, context.client, context.audit);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for a new access and refresh token.' })
  refreshToken(@Arg('token') token: string, @Ctx() context: RequestContext): Promise<AuthPayload> {
    return context.services.sessions.refresh(token, context.audit);
  }

  @Mutation(() => Boolean, { description: 'Ends this sign-in.' })
  logout(@Ctx() context: RequestContext): Promise<boolean> {
    return context.services.sessions.logout(signedIn(context), context.audit);
  }

  @Mutation(() => Boolean, { description: 'Ends every sign-in of this account.' })
  logoutEverywhere(@Ctx() context: RequestContext): Promise<boolean> {
    return context.services.sessions.logoutEverywhere(signedIn(context), context.audit);
  }

  @Mutation(() => Boolean, { description: 'Emails a reset link if the address has an account. Always true.' })
  requestPasswordReset(@Arg('email') email: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.passwordReset.request(email);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password from an emailed token; ends every sign-in.' })
  resetPassword(@Arg('token') token: string, @Arg('newPassword') newPassword: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.passwordReset.reset(token, newPassword, context.audit);
  }

  @Mutation(() => StaffAccount, { description: 'A clinic admin adds a staff member to their clinic.' })
  createStaffAccount(
    @Arg('input', () => CreateStaffAccountInput) input: CreateStaffAccountInput,
    @Ctx() context: RequestContext,
  ): Promise<StaffAccount> {
    return context.services.staffAccounts.create(signedIn(context), input, context.audit);
  }

  @Mutation(() => Boolean, { description: 'Suspends a staff member of a clinic you administer; their sign-ins end at once.' })
  suspendUser(@Arg('userId', () => ID) userId: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.staffAccounts.setSuspended(signedIn(context), userId, true, context.audit);
  }

  @Mutation(() => Boolean)
  reactivateUser(@Arg('userId', () => ID) userId: string, @Ctx() context: RequestContext): Promise<boolean> {
    return context.services.staffAccounts.setSuspended(signedIn(context), userId, false, context.audit);
  }
}
