// The `makima` CLI that agents run inside tasks (supervisor, contract, orchestrate commands).
// Talks to the embedded tool API; JSON on stdout, errors on stderr with exit 1.
process.stderr.write('makima: no commands yet\n')
process.exitCode = 1
