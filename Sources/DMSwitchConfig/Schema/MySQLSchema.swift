extension DMSwitchConfiguration.MySQL {
    /// Reads `[mysql]`. `user` and `password-file` are required; `password-file = ""` says
    /// the account has no password, so leaving the key out is never silently "no password".
    static func read(_ reader: inout TableReader) -> Self? {
        let user = reader.string("user", required: true)
        if let user, user.value.isEmpty {
            reader.error("\(reader.describe("user")) must not be empty", at: user.location, key: "user")
        }
        reader.reject("password", because: "the password is never written in the main file; use password-file")
        let passwordFile = reader.path("password-file", allowEmpty: true, reference: .secret)
        if !reader.contains("password-file") {
            reader.missing(
                "password-file", because: "name the file holding the password, or write password-file = \"\" for none")
        }
        let ca = reader.path("tls-ca", reference: .readable)
        let cert = reader.path("tls-cert", reference: .readable)
        let key = reader.path("tls-key", reference: .readable)
        reader.requireTogether(("tls-cert", cert), ("tls-key", key))
        let verify = reader.boolean("tls-verify", default: false)

        guard let user, let passwordFile else { return nil }
        return Self(
            user: user.value, passwordFile: passwordFile.value.isEmpty ? nil : passwordFile.value, tlsCA: ca?.value,
            tlsCert: cert?.value, tlsKey: key?.value, tlsVerify: verify)
    }
}
