// dmswitchctl: the operator's client. It only speaks the control protocol,
// plus offline helpers.
print("Usage: dmswitchctl COMMAND [ARGS...]")
