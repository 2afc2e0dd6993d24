using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Interop;

namespace Containers.Runtime.Tests.Integration;

/// <summary>
/// SCMP_ACT_NOTIFY end to end: a seccomp agent in the test process listens on linux.seccomp.listenerPath,
/// receives the notification fd with the container process state, and answers the container's mkdir calls.
/// </summary>
public sealed class SeccompNotifyTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private const int MkdirX86_64 = 83, MkdiratX86_64 = 258;

    [Theory]
    [InlineData(true)] // the filter is loaded last, after no_new_privs
    [InlineData(false)] // the filter is loaded before the uid and capability changes, which then run under it
    public void The_agent_answers_notified_calls_in_the_containers_place(bool noNewPrivileges)
    {
        string socketPath = Path.Combine(Sandbox.Dir, "agent.sock");
        using var agent = new SeccompAgent(socketPath);
        Bundle bundle = Sandbox.ShellBundle("mkdir /tmp/notified; echo rc=$?; test -d /tmp/notified && echo exists || echo missing; " +
            "mkdir -p /tmp/other 2>&1; echo done", b =>
        {
            b.Process["noNewPrivileges"] = noNewPrivileges;
            b.Linux["seccomp"] = JsonNode.Parse($$"""
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "listenerPath": "{{socketPath}}",
                  "listenerMetadata": "agent-metadata",
                  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY" } ]
                }
                """);
        });

        RunResult run = Sandbox.Run(bundle);
        agent.Stop();

        Assert.True(run.ExitCode == 0, run.ToString());
        // The agent said "success" without creating anything: mkdir exits 0, yet no directory exists.
        Assert.Contains("rc=0", run.Stdout);
        Assert.Contains("missing", run.Stdout);
        Assert.Null(agent.Error);
        Assert.Contains(agent.Notified, n => n.Nr is MkdirX86_64 or MkdiratX86_64 && n.Arch == SyscallTable.AuditArchX86_64);

        JsonObject message = JsonNode.Parse(agent.Message!)!.AsObject();
        Assert.Equal("1.2.0", message["ociVersion"]!.GetValue<string>());
        Assert.Equal(["seccompFd"], message["fds"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("agent-metadata", message["metadata"]!.GetValue<string>());
        int pid = message["pid"]!.GetValue<int>();
        Assert.True(pid > 1, $"pid {pid} is not a host pid");
        JsonObject state = message["state"]!.AsObject();
        Assert.Equal(bundle.Id, state["id"]!.GetValue<string>());
        Assert.Equal(pid, state["pid"]!.GetValue<int>());
        Assert.Equal(bundle.Dir, state["bundle"]!.GetValue<string>());
        Assert.True(agent.Notified[0].Pid > pid, "the caller (a child of the container's shell) is named by its host pid");
    }

    [Fact]
    public void The_agent_gets_an_execs_fd_and_answers_the_execd_process()
    {
        string socketPath = Path.Combine(Sandbox.Dir, "agent.sock");
        using var agent = new SeccompAgent(socketPath);
        Bundle bundle = Sandbox.StartSleeper(b => b.Linux["seccomp"] = JsonNode.Parse($$"""
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
              "listenerPath": "{{socketPath}}",
              "listenerMetadata": "exec-metadata",
              "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY" } ]
            }
            """));
        Assert.True(SpinWait.SpinUntil(() => { lock (agent.Messages) { return agent.Messages.Count == 1; } }, TimeSpan.FromSeconds(10)),
            "the container's init sent no fd");

        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "sh", "-c",
            "mkdir /tmp/from-exec; echo rc=$?; test -d /tmp/from-exec && echo exists || echo missing");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        // The agent said "success" without creating anything: mkdir exits 0, yet no directory exists.
        Assert.Contains("rc=0", exec.Stdout);
        Assert.Contains("missing", exec.Stdout);

        Sandbox.Runtime("kill", bundle.Id, "KILL");
        agent.Stop();
        Assert.Null(agent.Error);
        Assert.Equal(2, agent.Messages.Count); // init's fd at create, then the exec'd process's own

        JsonObject message = JsonNode.Parse(agent.Messages[1])!.AsObject();
        Assert.Equal(["seccompFd"], message["fds"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("exec-metadata", message["metadata"]!.GetValue<string>());
        int execPid = message["pid"]!.GetValue<int>();
        int initPid = JsonNode.Parse(agent.Messages[0])!["pid"]!.GetValue<int>();
        Assert.True(execPid > 1 && execPid != initPid, $"exec pid {execPid}, init pid {initPid}");
        JsonObject state = message["state"]!.AsObject();
        Assert.Equal(bundle.Id, state["id"]!.GetValue<string>());
        Assert.Equal(bundle.Dir, state["bundle"]!.GetValue<string>());
        // The exec'd shell's mkdir came on the exec's fd, from a host pid that is not init's.
        Assert.Contains(agent.Notified, n => n.Connection == 1 && n.Nr is MkdirX86_64 or MkdiratX86_64 && n.Pid > execPid);
        Assert.DoesNotContain(agent.Notified, n => n.Connection == 0);
    }

    [Fact]
    public void Create_fails_when_nothing_listens_on_listenerPath()
    {
        string socketPath = Path.Combine(Sandbox.Dir, "nobody.sock");
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Linux["seccomp"] = JsonNode.Parse($$"""
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "listenerPath": "{{socketPath}}",
              "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_NOTIFY" } ]
            }
            """));
        RunResult create = Sandbox.Create(bundle);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains($"seccomp listener: connect {socketPath}", create.Stderr);
        Assert.Contains("ENOENT", create.Stderr);
    }

    [Fact]
    public void A_notify_rule_without_listenerPath_is_refused_before_anything_runs()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Linux["seccomp"] = JsonNode.Parse("""
            { "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_NOTIFY" } ] }
            """));
        RunResult create = Sandbox.Create(bundle);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY", create.Stderr);
    }

    /// <summary>A minimal seccomp agent: accepts every connection and answers every notification with success (0).</summary>
    private sealed class SeccompAgent : IDisposable
    {
        private readonly Socket _listener;
        private readonly Thread _thread;
        private volatile bool _stop;

        public SeccompAgent(string path)
        {
            _listener = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(1);
            _thread = new Thread(Serve) { IsBackground = true, Name = "seccomp agent" };
            _thread.Start();
        }

        /// <summary>The first connection's message (a `run` makes only one).</summary>
        public string? Message => Messages.FirstOrDefault();

        /// <summary>Each connection's message, in the order the connections came.</summary>
        public List<string> Messages { get; } = [];

        /// <summary>Every notification, with the index of the connection whose fd it came on.</summary>
        public List<(int Nr, uint Arch, int Pid, int Connection)> Notified { get; } = [];
        public Exception? Error { get; private set; }

        public void Stop()
        {
            _stop = true;
            Assert.True(_thread.Join(TimeSpan.FromSeconds(10)), "the agent did not stop");
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join(TimeSpan.FromSeconds(10));
            _listener.Dispose();
        }

        private void Serve()
        {
            try
            {
                var connections = new List<Thread>();
                while (true)
                {
                    while (!_listener.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
                    {
                        if (_stop)
                        {
                            connections.ForEach(t => t.Join(TimeSpan.FromSeconds(10)));
                            return;
                        }
                    }

                    Socket connection = _listener.Accept();
                    int index = connections.Count;
                    var thread = new Thread(() => ServeConnection(connection, index)) { IsBackground = true, Name = $"seccomp agent {index}" };
                    connections.Add(thread);
                    thread.Start();
                }
            }
            catch (Exception e)
            {
                Error = e;
            }
        }

        /// <summary>One runtime connection: its message and notification fd, then every notification on that fd.</summary>
        private void ServeConnection(Socket socket, int index)
        {
            try
            {
                using Socket connection = socket;
                var text = new StringBuilder();
                byte[] buffer = new byte[64 * 1024];
                using SafeFd? notifyFd = Syscalls.ReceiveFd(new SafeFd((int)connection.Handle, ownsHandle: false), buffer, out int n);
                Assert.NotNull(notifyFd);
                while (n > 0)
                {
                    text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    n = connection.Receive(buffer); // 0: the runtime closed its end after the one message
                }

                lock (Messages)
                {
                    Messages.Add(text.ToString());
                }

                while (WaitReadable(notifyFd!))
                {
                    SeccompNotification call = Syscalls.ReceiveSeccompNotification(notifyFd!);
                    lock (Notified)
                    {
                        Notified.Add((call.Data.Nr, call.Data.Arch, (int)call.Pid, index));
                    }

                    try
                    {
                        Syscalls.SendSeccompResponse(notifyFd!, SeccompNotificationResponse.Success(call.Id, 0));
                    }
                    catch (SyscallException e) when (e.Errno == Errno.ENOENT)
                    {
                        // The caller was interrupted meanwhile: nothing to answer.
                    }
                }
            }
            catch (Exception e)
            {
                Error = e;
            }
        }

        /// <summary>Polls in short steps so <see cref="Stop"/> ends the thread; false once stopped or hung up.</summary>
        private bool WaitReadable(SafeFd fd)
        {
            while (!_stop)
            {
                var poll = new PollFd { Fd = fd.Value, Events = PollEvents.In };
                if (Syscalls.Poll(ref poll, 1, 100) > 0)
                {
                    // POLLHUP on a notification fd: no task uses the filter any more.
                    return (poll.Returned & PollEvents.In) != 0;
                }
            }

            return false;
        }
    }
}
