// Stands in for the shop's own login and server-side session: the demo has no backend of its own.
const KEY = 'shop_account'

/**
 * The logged-in customer, or `null`.
 *
 * @example
 * currentAccount()?.firstName
 */
export function currentAccount() {
  return JSON.parse(localStorage.getItem(KEY) || 'null')
}

/**
 * Logs a customer in with their customer number — the `external_id` the
 * shop's backend sends with their purchases.
 *
 * @example
 * logIn({ email: 'jane.doe@gmail.com', firstName: 'Jane' }).customerId // 'crm-…'
 */
export function logIn(details) {
  const account = { ...details, customerId: customerNumber(details.email) }
  localStorage.setItem(KEY, JSON.stringify(account))
  return account
}

/**
 * Logs the customer out.
 *
 * @example
 * logOut()
 */
export function logOut() {
  localStorage.removeItem(KEY)
}

/** The same number for the same email on every login, as a real shop's customer database would give. */
function customerNumber(email) {
  let hash = 0
  for (const char of email.trim().toLowerCase()) hash = (hash * 31 + char.codePointAt(0)) % 900000
  return `crm-${100000 + hash}`
}
