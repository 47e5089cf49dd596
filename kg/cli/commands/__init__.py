"""One module per ``kg`` command (discovered by ``kg.cli``)."""
