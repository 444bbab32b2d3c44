iptables -w --table filter --new-chain LIBVIRT_INP
iptables -w --table filter --new-chain LIBVIRT_OUT
iptables -w --table filter --insert INPUT --jump LIBVIRT_INP
iptables -w --table filter --insert OUTPUT --jump LIBVIRT_OUT
iptables \
-w \
--table filter \
--insert LIBVIRT_INP \
--in-interface virbr0 \
--protocol udp \
--destination-port 53 \
--jump ACCEPT
iptables -w --table nat --new-chain LIBVIRT_PRT
iptables -w --table nat --insert POSTROUTING --jump LIBVIRT_PRT
iptables -w --table nat --insert LIBVIRT_PRT --source 192.168.122.0/24 '!' --destination 192.168.122.0/24 --protocol tcp --jump MASQUERADE --to-ports 1024-65535
