// Stripe failures the user can do nothing about but retry become UNAVAILABLE (a clear message, a
// 503-class answer) instead of an internal error; anything else is left as it is.
import Stripe from "stripe";
import { DomainError } from "../../domain/errors";

export function isStripeUnavailable(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError
  );
}

export async function withStripeAvailability<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isStripeUnavailable(error)) throw new DomainError("UNAVAILABLE", "Stripe could not be reached. Try again in a moment.");
    throw error;
  }
}
