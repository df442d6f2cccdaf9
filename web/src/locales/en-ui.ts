/** The app's frame: the user menu, its theme choice and links (`ui.<key>`). */
export const ui = {
  userMenu: 'Account menu',
  signedInAs: 'Signed in as',
  theme: 'Theme',
  themes: { system: 'System', light: 'Light', dark: 'Dark' },
  apiDocs: 'API documentation',
}
