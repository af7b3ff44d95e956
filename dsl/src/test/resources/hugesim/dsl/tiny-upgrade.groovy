// A small hot upgrade, kept on the test classpath: HugesimSpecification finds it by resource name.
def pool = param('pool', 8.MB)
machine { memory 1.GB }
policies hugetlb(pool: 8.MB), hugetlb(pool: pool)
process('old') {
    def heap = mapHuge 4.MB
    touch heap, 4.MB
    sleep 2.s
    exit()
}
process('new', start: 1.s) {
    def heap = mapHuge 4.MB
    touch heap, 4.MB
}
run until: 3.s, sample: 1.s
