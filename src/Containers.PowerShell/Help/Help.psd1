# The text of the cmdlets' help. Build-Help.ps1 merges it with the parameters as the built module
# declares them and writes module/en-US/Containers.PowerShell.dll-Help.xml (MAML).
@{
    Common = @{
        Name        = 'The names of the containers. Wildcards select every matching container.'
        Id          = 'The ids of the containers: the full id or a unique prefix.'
        InputObject = 'Container objects, such as Get-Container and New-Container output.'
        PassThru    = 'Outputs the container after the operation.'
    }
    'New-Container' = @{
        Synopsis    = 'Creates a container from an image or a rootfs directory or tarball.'
        Description = 'Creates a container in the Created state and outputs it; Start-Container runs it. With -Image, the image is pulled first when it is not in the local store (as docker run does), the container''s root is an overlay of the image''s layers, and the image''s config gives the defaults: its Entrypoint, Cmd, Env, WorkingDir, User, StopSignal and Labels, each overridable as in Docker (-Command replaces Cmd, -Entrypoint replaces Entrypoint and clears Cmd, -Environment merges over the image''s variables). The defaults are Docker''s: the default capability set, the default seccomp profile, masked and read-only kernel paths, no network (-Network none). Paths are resolved against the current PowerShell location.'
        Parameters  = @{
            Rootfs           = 'The root filesystem: a directory or a rootfs tarball (.tar, .tar.gz).'
            Image            = 'An image reference (busybox, 127.0.0.1:5000/busybox:1) or image ID. Pulled when it is not in the local store, with the same per-layer progress as Install-ContainerImage; its config gives the container''s defaults. A registry failure is a non-terminating RegistryError.'
            Credential            = 'With -Image: user name and password for the registry when the image is pulled, used for basic auth or to obtain a bearer token, as Install-ContainerImage -Credential. Never stored with the container.'
            Platform              = 'With -Image: os/arch[/variant] to choose from a multi-platform image when it is pulled, such as linux/arm64/v8. Defaults to this machine''s.'
            AllowInsecureRegistry = 'With -Image: reaches the registry over plain HTTP when the image is pulled. Loopback registries (localhost, 127.0.0.0/8) always are.'
            StopSignal       = 'The signal Stop-Container sends first (SIGTERM, or the image''s StopSignal, by default): a name such as SIGINT or a number.'
            Command          = 'The command and its arguments, run as PID 1 of the container.'
            Name             = 'A unique name. Letters, digits, _, . and -. Defaults to a generated name.'
            Entrypoint       = 'Runs before the command: the command becomes its arguments.'
            Environment      = 'Environment variables, as a hashtable: @{ NAME = ''value'' }.'
            WorkingDirectory = 'The working directory inside the container.'
            User             = 'uid[:gid] or a user name of the rootfs''s /etc/passwd.'
            Hostname         = 'The container''s host name. Defaults to the first 12 characters of its id.'
            Memory           = 'The memory limit in bytes: 64MB works.'
            MemorySwap       = 'Memory plus swap in bytes; -1 for unlimited swap.'
            Cpus             = 'The CPU quota, in CPUs: 0.5 is half a CPU.'
            CpuShares        = 'The relative CPU weight (1024 is the default weight).'
            CpusetCpus       = 'The CPUs the container may run on: ''0'', ''0-1'', ''0,2''.'
            PidsLimit        = 'The largest number of processes; -1 for no limit.'
            ReadOnlyRootfs   = 'Mounts the root filesystem read-only.'
            Mount            = 'Mounts, in docker''s --mount syntax: ''type=bind,source=/host/dir,target=/dir,readonly'' or ''type=tmpfs,target=/tmp,tmpfs-size=64m''. A bad mount stops the command with an InvalidArgument error that names the field.'
            CapabilityAdd    = 'Capabilities to add to the default set (CAP_ prefix optional), or ALL.'
            CapabilityDrop   = 'Capabilities to remove from the default set, or ALL.'
            Privileged       = 'All capabilities, no seccomp filter, no masked paths: the container can do what root can.'
            SecurityOpt      = '''seccomp=unconfined'', ''seccomp=<profile.json>'' or ''no-new-privileges''.'
            Network          = 'none (a private network namespace with loopback only, the default) or host.'
            Tty              = 'Gives the container a pseudo-terminal.'
            Interactive      = 'Keeps the container''s standard input open (for Start-Container -Attach -Interactive).'
            Label            = 'Labels, as a hashtable: @{ app = ''web'' }.'
            AutoRemove       = 'Removes the container when it exits, and when Start-Container cannot start it (as docker run --rm): the start error is still reported.'
        }
        Examples    = @(
            @{ Code = '$rootfs = New-BusyboxRootfs -Path ./rootfs
New-Container -Rootfs $rootfs -Name hello -Command echo, ''hello world'''; Remarks = 'Makes a busybox rootfs and a container that prints a greeting when started.' }
            @{ Code = 'New-Container -Rootfs ./rootfs -Name web -Command httpd, -f, -p, 8080 -Network host -Memory 64MB -Cpus 0.5 -Label @{ app = ''web'' }'; Remarks = 'A web server on the host network, with a memory limit and half a CPU.' }
            @{ Code = 'New-Container -Image busybox -Command sh, -c, ''echo $HOME; pwd'' | Start-Container -Attach'; Remarks = 'Pulls busybox from Docker Hub if needed and runs a command in it.' }
            @{ Code = 'New-Container -Image 127.0.0.1:5000/app:1 -Environment @{ MODE = ''debug'' } -Entrypoint /bin/sh -Command -c, env'; Remarks = 'Runs an image from a local registry with one more environment variable and its own entrypoint instead of the image''s.' }
            @{ Code = 'New-Container -Image registry.example.com/team/app:2 -Credential (Get-Credential) -Platform linux/amd64'; Remarks = 'Pulls an image from a registry that needs a login (showing progress per layer) and makes a container of it.' }
            @{ Code = 'New-Container -Rootfs ./rootfs -Command sh, -c, ''ls /data'' -Mount ''type=bind,source=/srv/data,target=/data,readonly'', ''type=tmpfs,target=/tmp'''; Remarks = 'A read-only bind mount of a host directory and a tmpfs.' }
        )
    }
    'Start-Container' = @{
        Synopsis    = 'Starts containers.'
        Description = 'Starts created or exited containers and outputs them (State Running). With -Wait, waits until each exits and outputs it with its ExitCode. With -Attach, writes the container''s standard output lines to the pipeline (and standard error lines to the host) while it runs.'
        Parameters  = @{
            Wait        = 'Waits until the container exits and outputs it with ExitCode.'
            Attach      = 'Streams the container''s output lines until it exits. With -Wait, the container is output after its lines.'
            Interactive = 'With -Attach: forwards this session''s standard input to the container.'
        }
        Examples    = @(
            @{ Code = 'New-Container -Rootfs ./rootfs -Command sh, -c, ''exit 3'' | Start-Container -Wait | Select-Object Name, ExitCode'; Remarks = 'Runs a container to its end and shows its exit code (3).' }
            @{ Code = 'Start-Container -Name hello -Attach'; Remarks = 'Starts the container and shows its output as it comes.' }
            @{ Code = 'Get-Container -State Exited | Start-Container'; Remarks = 'Starts every exited container again.' }
        )
    }
    'Stop-Container' = @{
        Synopsis    = 'Stops running containers.'
        Description = 'Sends the stop signal (SIGTERM unless the container names another) to the container''s main process, then SIGKILL when it has not exited after -Timeout seconds. Shows progress while it waits.'
        Parameters  = @{ Timeout = 'Seconds between the stop signal and SIGKILL. Default 10.' }
        Examples    = @(
            @{ Code = 'Stop-Container -Name web'; Remarks = 'Stops one container.' }
            @{ Code = 'Get-Container | Where-Object State -eq Running | Stop-Container -Timeout 2'; Remarks = 'Stops every running container, killing those that have not exited after 2 seconds.' }
        )
    }
    'Restart-Container' = @{
        Synopsis    = 'Stops and starts containers again.'
        Description = 'Stops each container as Stop-Container does (stop signal, then SIGKILL after -Timeout seconds) and starts it again.'
        Parameters  = @{ Timeout = 'Seconds between the stop signal and SIGKILL. Default 10.' }
        Examples    = @(
            @{ Code = 'Restart-Container -Name web -PassThru'; Remarks = 'Restarts a container and outputs it with its new Pid and Started time.' }
        )
    }
    'Suspend-Container' = @{
        Synopsis    = 'Freezes every process of running containers.'
        Description = 'Uses the cgroup freezer: the processes stop being scheduled until Resume-Container. The state becomes Paused.'
        Parameters  = @{}
        Examples    = @(
            @{ Code = 'Suspend-Container -Name web -PassThru'; Remarks = 'Freezes a container; the output shows State Paused.' }
        )
    }
    'Resume-Container' = @{
        Synopsis    = 'Thaws suspended containers.'
        Description = 'Lets the processes of a Paused container run again. The state becomes Running.'
        Parameters  = @{}
        Examples    = @(
            @{ Code = 'Get-Container -State Paused | Resume-Container'; Remarks = 'Resumes every suspended container.' }
        )
    }
    'Remove-Container' = @{
        Synopsis    = 'Removes containers.'
        Description = 'Removes containers with their state, cgroups, mounts and logs. A running or paused container is refused with a ContainerInvalidState error unless -Force, which stops it first (SIGKILL). -WhatIf and -Confirm apply as usual.'
        Parameters  = @{ Force = 'Stops a running container before removing it.' }
        Examples    = @(
            @{ Code = 'Remove-Container -Name hello'; Remarks = 'Removes a stopped container.' }
            @{ Code = 'Get-Container | Remove-Container -Force'; Remarks = 'Removes every container, running or not.' }
        )
    }
    'Wait-Container' = @{
        Synopsis    = 'Waits until containers exit.'
        Description = 'Blocks until each container has exited and outputs it with its ExitCode. With -Timeout, a container still running after that many seconds gets a WaitTimeout error instead.'
        Parameters  = @{ Timeout = 'Seconds to wait for each container. Default: no limit.' }
        Examples    = @(
            @{ Code = '(Wait-Container -Name job).ExitCode'; Remarks = 'Waits for a container and shows its exit code.' }
            @{ Code = 'Wait-Container -Name web -Timeout 5 -ErrorAction SilentlyContinue'; Remarks = 'Waits at most 5 seconds.' }
        )
    }
    'Get-Container' = @{
        Synopsis    = 'Gets containers.'
        Description = 'Outputs the containers of this machine (all of them by default, newest first), shown as a table like docker ps: CONTAINER ID, NAME, COMMAND, CREATED, STATUS. A name without wildcards that matches no container is a ContainerNotFound error.'
        Parameters  = @{
            Name  = 'Names of containers; wildcards allowed.'
            State = 'Only containers in these states: Created, Running, Paused, Exited.'
        }
        Examples    = @(
            @{ Code = 'Get-Container'; Remarks = 'Lists every container.' }
            @{ Code = 'Get-Container -Name web* -State Running'; Remarks = 'The running containers whose names start with web.' }
            @{ Code = 'Get-Container | Where-Object { $_.Labels.app -eq ''web'' } | Format-List'; Remarks = 'Containers by label, with their details.' }
        )
    }
    'Get-ContainerLog' = @{
        Synopsis    = 'Gets the lines containers wrote.'
        Description = 'Outputs ContainerLogRecord objects (ContainerName, Stream, Time, Line). The default view shows the lines only; -Timestamps adds each line''s time. Stream is stdout or stderr.'
        Parameters  = @{
            Follow     = 'Keeps writing new lines as the container writes them, until it exits or Ctrl+C.'
            Tail       = 'Only the last N lines.'
            Since      = 'Only lines written at or after this time, e.g. (Get-Date).AddMinutes(-5).'
            Timestamps = 'Shows the time of each line in the default view.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerLog -Name web -Tail 20'; Remarks = 'The last 20 lines.' }
            @{ Code = 'Get-ContainerLog -Name web | Where-Object Stream -eq stderr'; Remarks = 'Only what the container wrote to standard error.' }
            @{ Code = 'Get-ContainerLog -Name web -Follow -Since (Get-Date).AddMinutes(-1) -Timestamps'; Remarks = 'The lines of the last minute with their times, then new lines as they come.' }
        )
    }
    'Invoke-ContainerCommand' = @{
        Synopsis    = 'Runs a command in running containers.'
        Description = 'Runs a process in the namespaces and cgroups of each running container (like docker exec). Without -PassThru, standard output lines go to the pipeline, standard error lines to the host, and a non-zero exit code is a non-terminating ContainerCommandFailed error. With -PassThru, outputs one object per container with ExitCode, Output and ErrorOutput.'
        Parameters  = @{
            Command          = 'The command and its arguments.'
            User             = 'uid[:gid] or a user name of the container.'
            WorkingDirectory = 'The working directory of the process.'
            Environment      = 'More environment variables, as a hashtable.'
            Tty              = 'Gives the process a pseudo-terminal.'
            Interactive      = 'Forwards this session''s standard input to the process.'
            PassThru         = 'Outputs an object with ExitCode, Output and ErrorOutput instead of the lines.'
        }
        Examples    = @(
            @{ Code = 'Invoke-ContainerCommand -Name web -Command ps'; Remarks = 'The processes as the container sees them.' }
            @{ Code = '$r = Invoke-ContainerCommand -Name web -Command sh, -c, ''test -f /ready'' -PassThru
$r.ExitCode'; Remarks = 'Checks for a file and reads the exit code.' }
        )
    }
    'Update-Container' = @{
        Synopsis    = 'Changes the resource limits of containers, live.'
        Description = 'Writes the new limits to the containers'' cgroups; running processes are affected at once. Give at least one limit.'
        Parameters  = @{
            Memory     = 'The memory limit in bytes: 128MB works.'
            MemorySwap = 'Memory plus swap in bytes; -1 for unlimited swap.'
            Cpus       = 'The CPU quota, in CPUs.'
            CpuShares  = 'The relative CPU weight.'
            CpusetCpus = 'The CPUs the container may run on.'
            PidsLimit  = 'The largest number of processes; -1 for no limit.'
        }
        Examples    = @(
            @{ Code = 'Update-Container -Name web -Memory 128MB -Cpus 1.5 -PassThru'; Remarks = 'Raises the memory limit and the CPU quota of a running container.' }
        )
    }
    'Get-ContainerProcess' = @{
        Synopsis    = 'Gets the processes running in containers.'
        Description = 'Outputs ContainerProcess objects (Pid on the host, ContainerPid inside, User, CpuTime, ResidentBytes, Command), like docker top.'
        Parameters  = @{}
        Examples    = @(
            @{ Code = 'Get-ContainerProcess -Name web'; Remarks = 'The processes of one container.' }
            @{ Code = 'Get-Container -State Running | Get-ContainerProcess | Sort-Object ResidentBytes -Descending | Select-Object -First 5'; Remarks = 'The five largest processes in all containers.' }
        )
    }
    'Get-ContainerStats' = @{
        Synopsis    = 'Streams resource usage samples of containers.'
        Description = 'Outputs a ContainerStats object (CPU %, memory usage and limit, pids, network and block I/O) per container every -Interval seconds, for every container given (all running ones by default), shown like docker stats. The stream ends after -Count samples per container, with -NoStream after one, or when Ctrl+C or a downstream Select-Object -First stops it.'
        Parameters  = @{
            Name     = 'Names of containers; wildcards allowed. Default: every running container.'
            Interval = 'Seconds between samples. Default 1.'
            Count    = 'Samples per container, then the stream ends.'
            NoStream = 'One sample per container.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerStats -NoStream'; Remarks = 'One sample of every running container.' }
            @{ Code = 'Get-Container -Name web* | Get-ContainerStats -Interval 2 -Count 5'; Remarks = 'Five samples, two seconds apart, of every container whose name starts with web.' }
            @{ Code = 'Get-ContainerStats -Name web | Select-Object -First 1 -ExpandProperty MemoryUsage'; Remarks = 'The memory use of one container, now.' }
        )
    }
    'Get-ContainerImage' = @{
        Synopsis    = 'Lists the images of the local image store.'
        Description = 'Outputs one ContainerImage per reference in the local store, as docker images lists them: the table shows REPOSITORY, TAG, IMAGE ID, CREATED and SIZE. -Name takes references (busybox is docker.io/library/busybox:latest) or wildcards, which match the short or the full reference; a plain name that matches nothing is an ImageNotFound error.'
        Parameters  = @{
            Name = 'References of images: busybox, busybox:1.36, 127.0.0.1:5000/busybox:1. Wildcards select every matching image.'
            Id   = 'Image IDs (sha256:...) or unique prefixes of them.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerImage'; Remarks = 'Lists every image, like docker images.' }
            @{ Code = 'Get-ContainerImage -Name ''127.0.0.1:5000/*'' | Remove-ContainerImage'; Remarks = 'Removes every image that came from a local registry.' }
        )
    }
    'Install-ContainerImage' = @{
        Synopsis    = 'Pulls images from a registry into the local store.'
        Description = 'Downloads images as docker pull does: the manifest (chosen for this machine''s platform, or -Platform, from a multi-platform index), the config and the layers, in parallel, each verified against its digest, with retries and resumed partial downloads. Progress is written per layer under one parent activity ($ProgressPreference = ''SilentlyContinue'' hides it). Outputs the image. Registries on loopback addresses are reached over plain HTTP; others over HTTPS unless -AllowInsecureRegistry. The verb is PowerShell''s for bringing a package from a repository into the local store (Install-Module, Install-PSResource). A registry failure is a non-terminating RegistryError.'
        Parameters  = @{
            Name                  = 'The references to pull: busybox, busybox:1.36, ghcr.io/owner/app@sha256:...'
            Credential            = 'User name and password for the registry: used for basic auth, or to obtain a bearer token.'
            Platform              = 'os/arch[/variant] to choose from a multi-platform image, such as linux/arm64/v8. Defaults to this machine''s.'
            AllowInsecureRegistry = 'Reaches the registry over plain HTTP. Loopback registries (localhost, 127.0.0.0/8) always are.'
        }
        Examples    = @(
            @{ Code = 'Install-ContainerImage busybox'; Remarks = 'Pulls docker.io/library/busybox:latest.' }
            @{ Code = 'Install-ContainerImage registry.example.com/team/app:2 -Credential (Get-Credential)'; Remarks = 'Pulls from a registry that needs a login.' }
            @{ Code = '$ProgressPreference = ''SilentlyContinue''; Install-ContainerImage alpine -Platform linux/arm64'; Remarks = 'Pulls the arm64 image of a multi-platform index, without progress bars.' }
        )
    }
    'Publish-ContainerImage' = @{
        Synopsis    = 'Pushes images from the local store to a registry.'
        Description = 'Uploads an image as docker push does: every blob the registry lacks (mounted from another repository of the same registry when possible), then the manifest under the tag. -Destination pushes under another reference, like docker tag followed by docker push. The verb is PowerShell''s for making a package available in a repository (Publish-Module).'
        Parameters  = @{
            Name                  = 'References of stored images to push. Wildcards select every matching image.'
            Id                    = 'Image IDs (or unique prefixes) of stored images to push.'
            InputObject           = 'ContainerImage objects, such as Get-ContainerImage outputs.'
            Destination           = 'The reference to push to, such as 127.0.0.1:5000/busybox:1. Defaults to the image''s own reference.'
            Credential            = 'User name and password for the registry.'
            AllowInsecureRegistry = 'Reaches the registry over plain HTTP. Loopback registries always are.'
            PassThru              = 'Outputs the image after it was pushed.'
        }
        Examples    = @(
            @{ Code = 'Publish-ContainerImage busybox -Destination 127.0.0.1:5000/busybox:1'; Remarks = 'Pushes the local busybox image to a registry on this machine.' }
            @{ Code = 'Get-ContainerImage ''registry.example.com/*'' | Publish-ContainerImage -Credential $cred'; Remarks = 'Pushes every image that names registry.example.com, with a login.' }
        )
    }
    'Remove-ContainerImage' = @{
        Synopsis    = 'Removes images from the local store.'
        Description = 'Untags the named references (by -Id: every reference of that image), then deletes the blobs and unpacked layers no image uses any more, as docker rmi does. An image that a container uses is refused with an ImageInUse error unless -Force; forced, the references go but the content stays for the container, reachable by digest.'
        Parameters  = @{
            Name        = 'References of images to remove. Wildcards select every matching image.'
            Id          = 'Image IDs (or unique prefixes): removes every reference of each image.'
            InputObject = 'ContainerImage objects, such as Get-ContainerImage outputs.'
            Force       = 'Removes the references even when a container uses the image.'
        }
        Examples    = @(
            @{ Code = 'Remove-ContainerImage busybox'; Remarks = 'Removes docker.io/library/busybox:latest.' }
            @{ Code = 'Get-ContainerImage | Remove-ContainerImage -WhatIf'; Remarks = 'Shows what would be removed without removing anything.' }
        )
    }
    'Import-ContainerImage' = @{
        Synopsis    = 'Imports images from an archive, an OCI layout or a rootfs tarball.'
        Description = 'Reads what docker save writes (a docker-archive tar), an OCI image layout (a directory or a tar of one, as skopeo and umoci write), or a plain root filesystem tarball (as docker import does: one layer, no defaults; -Reference names it). Every blob is verified as it is stored. Outputs the images imported.'
        Parameters  = @{
            Path      = 'The archive, layout directory or tarball. Relative paths are resolved against the current location.'
            Reference = 'The reference to tag the imported image with. Required for a rootfs tarball; for an archive of one image, an extra tag.'
        }
        Examples    = @(
            @{ Code = 'Import-ContainerImage ./busybox.tar'; Remarks = 'Loads a docker save archive with the references it names.' }
            @{ Code = 'tar -C ./rootfs -cf rootfs.tar .; Import-ContainerImage ./rootfs.tar -Reference mytools:1'; Remarks = 'Makes a one-layer image of a root filesystem.' }
        )
    }
    'Export-ContainerImage' = @{
        Synopsis    = 'Writes images to a docker-archive or an OCI image layout.'
        Description = 'Writes every image given (by name, ID or from the pipeline) into one archive, as docker save does: -Format DockerArchive (the default) writes a tar that docker load reads; -Format OciLayout writes an OCI image layout directory, or a tar of one when -Path ends in .tar. Import-ContainerImage reads both.'
        Parameters  = @{
            Name        = 'References of images to export. Wildcards select every matching image.'
            Id          = 'Image IDs (or unique prefixes) of images to export.'
            InputObject = 'ContainerImage objects, such as Get-ContainerImage outputs.'
            Path        = 'The archive file (or OCI layout directory) to write.'
            Format      = 'DockerArchive (a docker save tar) or OciLayout (a directory, or a tar when -Path ends in .tar).'
            PassThru    = 'Outputs the file or directory written.'
        }
        Examples    = @(
            @{ Code = 'Export-ContainerImage busybox -Path ./busybox.tar'; Remarks = 'Saves busybox as a docker-archive.' }
            @{ Code = 'Get-ContainerImage ''myapp*'' | Export-ContainerImage -Path ./layout -Format OciLayout'; Remarks = 'Writes several images into one OCI layout directory.' }
        )
    }
    'Export-Container' = @{
        Synopsis    = 'Writes a container''s filesystem as a tar.'
        Description = 'Writes the whole root filesystem of a container (its image or rootfs with the container''s changes) into a tar file, as docker export does. Import-ContainerImage makes an image of such a tar again.'
        Parameters  = @{
            Path     = 'The tar file to write; an existing file is replaced.'
            PassThru = 'Outputs the file written.'
        }
        Examples    = @(
            @{ Code = 'Export-Container -Name web -Path ./web.tar'; Remarks = 'Writes the filesystem of the container web to web.tar.' }
        )
    }
    'New-ContainerImage' = @{
        Synopsis    = 'Makes an image from a container''s filesystem.'
        Description = 'Commits a container, as docker commit does: for a container made from an image, the files it added, changed or deleted become one new layer over the image''s layers; a container made from a rootfs becomes a one-layer image. The container''s entrypoint, command, environment, working directory, user, labels and stop signal become the new image''s defaults. A running container is not paused while its files are read.'
        Parameters  = @{
            Container   = 'The container: its name, id or a unique id prefix.'
            InputObject = 'A Container object, such as Get-Container outputs.'
            Reference   = 'The reference of the new image, such as mytools:1 or 127.0.0.1:5000/tools:latest.'
            Author      = 'The author recorded in the image config.'
            Message     = 'The comment recorded in the image''s history.'
        }
        Examples    = @(
            @{ Code = 'New-Container -Image busybox -Name setup -Command sh, -c, ''echo ready > /etc/motd'' | Start-Container -Wait | New-ContainerImage -Reference busybox-motd:1'; Remarks = 'Runs a setup step and keeps its result as a new image.' }
        )
    }
}
