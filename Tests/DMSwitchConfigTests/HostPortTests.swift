import DMSwitchConfig
import Testing

@Suite("host:port addresses")
struct HostPortTests {
    static let valid: [(String, String, UInt16)] = [
        ("10.0.0.1:3306", "10.0.0.1", 3306),
        ("db1.example.com:3306", "db1.example.com", 3306),
        ("localhost:1", "localhost", 1),
        ("[::1]:3306", "::1", 3306),
        ("[fd00:3::13]:65535", "fd00:3::13", 65535),
        ("db_1:3306", "db_1", 3306),
        ("db1.example.com.:3306", "db1.example.com.", 3306),
    ]

    @Test("Valid addresses parse into host and port and print back", arguments: valid)
    func parses(_ text: String, _ host: String, _ port: UInt16) throws {
        let address = try HostPort(text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    static let invalid: [(String, String)] = [
        ("", #"the address is empty; write host:port, e.g. "10.0.0.1:3306""#),
        ("10.0.0.1", #""10.0.0.1" has no port; write host:port, e.g. "10.0.0.1:3306""#),
        (":3306", #"":3306" has no host; write host:port, e.g. "10.0.0.1:3306""#),
        ("10.0.0.1:", #"the port "" in "10.0.0.1:" must be a number from 1 to 65535"#),
        ("10.0.0.1:0", #"the port "0" in "10.0.0.1:0" must be a number from 1 to 65535"#),
        ("10.0.0.1:65536", #"the port "65536" in "10.0.0.1:65536" must be a number from 1 to 65535"#),
        ("10.0.0.1:mysql", #"the port "mysql" in "10.0.0.1:mysql" must be a number from 1 to 65535"#),
        ("10.0.0.1:+33", #"the port "+33" in "10.0.0.1:+33" must be a number from 1 to 65535"#),
        ("::1:3306", #""::1:3306" looks like an IPv6 address; write it in brackets, e.g. "[::1]:3306""#),
        ("[::1]", #""[::1]" has no port; write e.g. "[::1]:3306""#),
        ("[::1:3306", #""[::1:3306" has no ']' after the IPv6 address; write e.g. "[::1]:3306""#),
        ("[::1]x:3306", #""[::1]x:3306" is not a valid address; write e.g. "[::1]:3306""#),
        ("[zz::1]:3306", #""[zz::1]:3306" has an invalid IPv6 address "zz::1""#),
        ("[10.0.0.1]:3306", #""[10.0.0.1]:3306" has an invalid IPv6 address "10.0.0.1""#),
        ("999.0.0.1:3306", #""999.0.0.1:3306" has an invalid IPv4 address "999.0.0.1""#),
        ("10.0.0:3306", #""10.0.0:3306" has an invalid IPv4 address "10.0.0""#),
        ("db one:3306", #""db one:3306" contains a space; write host:port, e.g. "10.0.0.1:3306""#),
        ("-db:3306", #""-db:3306" has an invalid host name "-db""#),
        ("db..x:3306", #""db..x:3306" has an invalid host name "db..x""#),
        ("db!:3306", #""db!:3306" has an invalid host name "db!""#),
        ("mysql://db:3306", #""mysql://db:3306" is a URL, not an address; write host:port, e.g. "10.0.0.1:3306""#),
    ]

    @Test("Invalid addresses say what is wrong with them", arguments: invalid)
    func rejects(_ text: String, _ reason: String) {
        #expect(throws: ValueParseError(text: text, reason: reason)) {
            try HostPort(text)
        }
    }

    @Test("etcd endpoints are http(s)://host:port")
    func etcdEndpoints() throws {
        let endpoint = try EtcdEndpoint("https://10.0.0.5:2379/")
        #expect(endpoint.scheme == .https)
        #expect(endpoint.address == HostPort(host: "10.0.0.5", port: 2379))
        #expect(endpoint.description == "https://10.0.0.5:2379")
        #expect(try EtcdEndpoint("http://[::1]:2379").address.isIPv6)
        #expect(throws: ValueParseError(
            text: "10.0.0.5:2379",
            reason: #""10.0.0.5:2379" is not an etcd URL; write http://host:port or https://host:port, e.g. "https://10.0.0.5:2379""#
        )) { try EtcdEndpoint("10.0.0.5:2379") }
        #expect(throws: ValueParseError(
            text: "http://e:2379/v3",
            reason: #""http://e:2379/v3" may not have a path, query or user; write http://host:port or https://host:port, e.g. "https://10.0.0.5:2379""#
        )) { try EtcdEndpoint("http://e:2379/v3") }
        #expect(throws: ValueParseError(
            text: "http://e",
            reason: #""http://e" is not a valid etcd URL: "e" has no port; write host:port, e.g. "10.0.0.1:3306""#
        )) { try EtcdEndpoint("http://e") }
    }
}
