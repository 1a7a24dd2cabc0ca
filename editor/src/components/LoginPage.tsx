/** Placeholder until the login page lands. */
export function LoginPage(_props: { onLoggedIn: () => void }) {
  return <p>Log in</p>;
}
