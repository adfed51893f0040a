// The keydesk command line. Commands land with the account operations (issue 2, step 3).
process.stdout.write('keydesk: the CLI is not built yet\n');
