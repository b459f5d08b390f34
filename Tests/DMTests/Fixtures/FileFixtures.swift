/// DM source and task files and a DM-Ansible inventory in the forms operators write them
/// (dm-interface §5, §6.3), with comments, quoting and keys dmswitch does not read.
enum FileFixtures {
    static let source = #"""
        # MySQL replica group 01 -- managed by dmswitch
        source-id: "mysql-replica-01"   # never change: checkpoints are keyed by it
        enable-gtid: true
        enable-relay: false
        flavor: 'mysql'
        relay-binlog-gtid: ""

        from:
          host: 10.0.0.5        # the current upstream
          port: 3306
          user: "dm_user"
          password: 'VjX8cEeTX+qcvRYMtubHgA=='
          security:
            ssl-ca: "/etc/dm/ca.pem"
            cert-allowed-cn: ["dm"]

        purge:
          interval: 3600
          expires: 0

        checker:
          check-enable: true
          backoff-max: 5m

        filters:
          - schema-pattern: "store_*"
            events: ["drop database"]
            action: Ignore
        """#

    static let sourceMinimal = """
        source-id: maria-01
        from:
            host: 'db-a.internal'
            port: "3307"
            user: root
        """

    static let task = #"""
        name: "orders"
        task-mode: incremental
        meta-schema: dm_meta
        shard-mode: ""

        target-database:
          host: "tidb.internal"
          port: 4000
          user: "root"
          password: ""   # encrypted in production

        mysql-instances:
          - source-id: "mysql-replica-01"
            meta:
              binlog-gtid: "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14"
            block-allow-list: "global"
          -
            source-id: 'mysql-replica-02'
            route-rules: ["route-rule-1"]

        block-allow-list:
          global:
            do-dbs: ["orders", "billing"]

        routes:
          route-rule-1:
            schema-pattern: "orders"
            target-schema: "orders"

        description: |
          Orders pipeline.
          source-id: not-a-real-key
        """#

    /// A task file whose list items sit at the key's own indentation, as YAML allows.
    static let taskSameIndentList = """
        name: billing
        target-database:
          host: 127.0.0.1
          port: 4000
        mysql-instances:
        - source-id: maria-01
        - source-id: maria-02
        """

    static let inventory = #"""
        ## DM modules
        [dm_master_servers]
        dm_master ansible_host=172.16.10.71

        [dm_worker_servers]
        dm_worker1 ansible_host=172.16.10.72 server_id=101 source_id="mysql-replica-01" mysql_host=172.16.10.81 mysql_user=root mysql_password='VjX8cEeTX+qcvRYMtubHgA==' mysql_port=3306 enable_gtid=true
        dm_worker2 ansible_host=172.16.10.73 server_id=102 source_id="mysql-replica-02" mysql_host="172.16.10.82" mysql_user=root mysql_password='' enable_gtid=true  # port defaults to 3306

        [monitored_servers:children]
        dm_worker_servers

        [all:vars]
        cluster_name = test-cluster
        """#
}
