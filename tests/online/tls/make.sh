#!/bin/sh
# Makes the test certificates of tests/online.rs (run in this folder; needs
# openssl): a certificate authority made for these tests only, standing for
# a TLS-inspecting proxy's, and a server certificate for localhost and
# 127.0.0.1 that it signs. Both hold for a hundred years. The authority's
# key is thrown away once it has signed; the server's is here, so never
# trust ca.pem anywhere but in these tests.
set -eu
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout ca.key -out ca.pem -days 36500 -subj "/CN=chatlint test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout server.key -out server.csr -subj "/CN=localhost"
printf '%s\n' "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out server.pem -days 36500 -extfile server.ext
rm -f server.csr server.ext ca.srl ca.key
