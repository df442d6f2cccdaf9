/** The Security page, the sign-in's second step, the reauth prompt and password resets. */
export const security = {
  title: 'Security',
  lead: 'Your password, your second factor and where you are signed in.',
  enrolRequired:
    'A workspace of yours requires a second factor. Turn on an authenticator app to continue.',
  password: {
    title: 'Password',
    current: 'Current password',
    new: 'New password',
    help: 'At least 12 characters. Common passwords from breaches are refused.',
    submit: 'Change password',
    submitting: 'Changing…',
    changed: 'Password changed. Your other sessions were signed out.',
  },
  totp: {
    title: 'Second factor',
    off: 'Sign-in asks only for your password. Add an authenticator app for a one-time code.',
    on: 'On: sign-in asks for a code from your authenticator app.',
    codesLeft: { one: '{count} recovery code left.', other: '{count} recovery codes left.' },
    enable: 'Set up authenticator app',
    starting: 'Starting…',
    scan: 'Scan this QR code with your authenticator app, or enter the key by hand.',
    qrAlt: 'QR code for your authenticator app',
    secret: 'Setup key',
    code: 'Code from the app',
    confirm: 'Turn on',
    confirming: 'Checking…',
    cancel: 'Cancel',
    recoveryTitle: 'Save your recovery codes',
    recoveryBody:
      'Each code signs you in once if you lose your phone. They are shown only now: store them somewhere safe.',
    recoveryLabel: 'Recovery codes',
    recoveryDone: "I've saved them",
    disable: 'Turn off',
    disableTitle: 'Turn off the second factor?',
    disableBody: 'Enter a code from your app, or a recovery code, to turn it off.',
    disableConfirm: 'Turn off second factor',
    disabled: 'The second factor is off.',
    enabled: 'The second factor is on.',
  },
  sessions: {
    title: 'Where you are signed in',
    lead: 'End any session you do not recognise. The one you are using now is marked.',
    device: 'Browser',
    ip: 'Address',
    created: 'Signed in',
    lastSeen: 'Last active',
    current: 'This session',
    unknownDevice: 'Unknown browser',
    end: 'End session',
    endFor: 'End session from {device}',
    ended: 'Session ended.',
    empty: 'No other sessions.',
  },
}

export const loginMfa = {
  title: 'Two-step sign-in',
  lead: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
  code: 'Code',
  submit: 'Verify',
  submitting: 'Verifying…',
  back: 'Use a different account',
}

export const reauth = {
  title: 'Confirm it is you',
  lead: 'This action needs your password again (or a code if you use a second factor).',
  password: 'Password',
  code: 'Code from your authenticator app',
  useCode: 'Use a code instead',
  usePassword: 'Use your password instead',
  submit: 'Confirm',
  submitting: 'Confirming…',
}

export const resetPassword = {
  title: 'Choose a new password',
  lead: 'For {email}. The link works once and expires {when}.',
  password: 'New password',
  submit: 'Set password',
  submitting: 'Saving…',
  done: 'Your password is set. Sign in with it.',
  invalid: 'This link is unknown, used or expired. Ask a workspace owner for a new one.',
  memberAction: 'Reset password',
  memberActionFor: 'Reset password of {name}',
  memberTitle: 'Password reset link for {name}',
  memberBody:
    'Give this link to {name} privately. It works once, expires {when}, and signs them out everywhere when used.',
  memberLink: 'Reset link',
  memberMailed: 'We also emailed the link to {email}.',
}
